//! ssmgo's DescribeInstances reader against a reference: botocore (the AWS CLI's parser, expat
//! underneath) on a response whose tags are awkward XML (tests/integration/xml_reference.py
//! writes it and botocore's reading of it). The response is served in place of the emulator's
//! DescribeInstances; every tag ssmgo lists must be the one botocore read, and none missing.
//!
//! botocore comes from the emulator's virtualenv (`tests/emu/emu.sh python`). Without it the
//! test says so and stops, except under CI=true, where that is a failure: a reference that
//! can't run must not pass for one that agreed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::fault::{Fault, FaultProxy};
use crate::support::{emu, ssmgo};

type Tags = BTreeMap<String, BTreeMap<String, String>>;

/// The reference's response and botocore's tags per instance; None (said why) when there is no
/// python with botocore outside CI.
fn reference() -> Option<(String, Tags, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ci = std::env::var("CI").as_deref() == Ok("true");
    let python = Command::new(root.join("tests/emu/emu.sh"))
        .arg("python")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let out = python.and_then(|python| {
        Command::new(python)
            .arg(root.join("tests/integration/xml_reference.py"))
            .output()
            .ok()
    });
    let out = match out {
        Some(out) if out.status.success() => out,
        other => {
            let why = match other {
                Some(out) => String::from_utf8_lossy(&out.stderr).into_owned(),
                None => "tests/emu/emu.sh python found no python".into(),
            };
            assert!(!ci, "CI needs botocore for the XML reference: {why}");
            eprintln!("skipped: the XML reference needs botocore (tests/emu/emu.sh python): {why}");
            return None;
        }
    };
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("the reference prints JSON");
    let xml = parsed["xml"].as_str().unwrap().to_owned();
    let tags: Tags = serde_json::from_value(parsed["tags"].clone()).unwrap();
    let awkward = parsed["awkward"].as_u64().unwrap() as usize;
    Some((xml, tags, awkward))
}

#[test]
fn awkward_tags_read_as_botocore_reads_them() {
    crate::needs_emulator!();
    let Some((xml, expected, awkward)) = reference() else {
        return;
    };
    assert!(
        awkward >= 140 && expected.len() == awkward,
        "{awkward} awkward tags"
    );
    let proxy = FaultProxy::start(&emu().endpoint, move |call| match call.operation.as_str() {
        "DescribeInstances" => Fault::Respond {
            status: 200,
            content_type: "text/xml;charset=UTF-8",
            body: xml.clone(),
        },
        _ => Fault::Forward,
    });
    let out = ssmgo()
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["list", "--json"])
        .run()
        .expect_success();
    let mut listed = Tags::new();
    for row in out.json().as_array().unwrap() {
        // Hybrid nodes other tests registered come from SSM, not from this response.
        if row["instance_id"].as_str().unwrap().starts_with("mi-") {
            continue;
        }
        let tags = row["tags"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        listed.insert(row["instance_id"].as_str().unwrap().to_owned(), tags);
    }
    let differing: Vec<String> = expected
        .iter()
        .filter(|(id, tags)| listed.get(*id) != Some(tags))
        .map(|(id, tags)| format!("{id}: botocore {tags:?}, ssmgo {:?}", listed.get(id)))
        .collect();
    assert!(
        differing.is_empty() && listed.len() == expected.len(),
        "{} of {} instances differ from botocore:\n{}",
        differing.len(),
        expected.len(),
        differing.join("\n")
    );
}
