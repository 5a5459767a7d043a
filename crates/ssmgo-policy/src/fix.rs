//! The fix for the resource-tag mistake of an action authorized on two resources, one of which
//! carries no such tag: Session Manager's document (StartSession on the document and the
//! instance) and ECS Exec's cluster (ExecuteCommand on the cluster and the task). The untagged
//! resource gets a statement of its own without the resource-tag conditions; the tagged one's
//! statement keeps them; everything else is left as it was. The fix proves itself by evaluation
//! (see [`Fixed::proof`]). And the fix for a statement that allows an action on one of its two
//! resources but not the other ([`add_resource`]).

use crate::context::Context;
use crate::eval::{Decision, Evaluator, Request};
use crate::json::{Json, Member, Node, Pos};
use crate::lint::tag_split_issue;
pub use crate::lint::{TagSplit, ECS_CLUSTER, SESSION_DOCUMENT};
use crate::policy::Policy;

/// A corrected policy and the statements it split.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub text: String,
    pub policy: Policy,
    /// 0-based indexes (in the original) of the statements that were split.
    pub split: Vec<usize>,
    /// Remarks a reviewer must read (e.g. a `*` resource widened to every document).
    pub notes: Vec<String>,
    /// Resources and contexts that show the difference, for [`Fixed::proof`].
    probes: Vec<Probe>,
    /// The mistakes it fixed, in order: the session document's, the cluster's.
    pub shapes: Vec<&'static TagSplit>,
}

#[derive(Debug, Clone)]
struct Probe {
    /// The action it asks for.
    action: &'static str,
    label: String,
    resource: String,
    context: Context,
}

/// One line of the before/after table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofRow {
    pub action: &'static str,
    pub label: String,
    pub resource: String,
    pub before: Decision,
    pub after: Decision,
}

/// Returns the policy with the session document's mistake and ECS Exec's cluster's fixed, or None
/// when there is nothing to fix. ARNs that ssmgo writes are in the partition of the policy's own
/// ARNs (`aws` when it has none).
pub fn fix(policy: &Policy) -> Option<Fixed> {
    let partition = policy
        .statements
        .iter()
        .filter_map(|st| st.resources.as_ref())
        .flat_map(|r| &r.patterns)
        .find_map(|p| p.strip_prefix("arn:")?.split(':').next())
        .filter(|p| !p.is_empty() && !p.contains(['*', '?']))
        .unwrap_or("aws")
        .to_owned();
    fix_in(policy, &partition)
}

/// [`fix`] with the ARNs it writes in `partition` (aws, aws-cn, aws-us-gov): the session
/// document's split, then the cluster's in what that wrote.
pub fn fix_in(policy: &Policy, partition: &str) -> Option<Fixed> {
    let document = split_in(policy, partition, &SESSION_DOCUMENT);
    let cluster = split_in(
        document.as_ref().map_or(policy, |d| &d.policy),
        partition,
        &ECS_CLUSTER,
    );
    match (document, cluster) {
        (Some(mut document), Some(cluster)) => {
            // Numbered as in the policy the user wrote, not as in the one in between.
            document.split.extend(
                policy
                    .statements
                    .iter()
                    .filter(|st| tag_split_issue(st, &ECS_CLUSTER).is_some())
                    .map(|st| st.index),
            );
            document.split.sort_unstable();
            document.split.dedup();
            document.text = cluster.text;
            document.policy = cluster.policy;
            document.notes.extend(cluster.notes);
            document.probes.extend(cluster.probes);
            document.shapes.extend(cluster.shapes);
            Some(document)
        }
        (one, other) => one.or(other),
    }
}

/// The `shape`'s mistake fixed, with the ARNs it writes in `partition`.
pub fn split_in(policy: &Policy, partition: &str, shape: &'static TagSplit) -> Option<Fixed> {
    let issues: Vec<(usize, crate::lint::DocTagIssue)> = policy
        .statements
        .iter()
        .filter_map(|st| tag_split_issue(st, shape).map(|i| (st.index, i)))
        .collect();
    if issues.is_empty() {
        return None;
    }
    let mut root = policy.root.clone();
    let Json::Object(members) = &mut root.value else {
        return None;
    };
    let statement = members.iter_mut().rev().find(|m| m.key == "Statement")?;
    let originals: Vec<Node> = match &statement.value.value {
        Json::Array(items) => items.clone(),
        Json::Object(_) => vec![statement.value.clone()],
        _ => return None,
    };
    let mut notes = Vec::new();
    let mut probes = Vec::new();
    let mut out = Vec::with_capacity(originals.len() + issues.len());
    for (index, node) in originals.into_iter().enumerate() {
        let Some((_, issue)) = issues.iter().find(|(i, _)| *i == index) else {
            out.push(node);
            continue;
        };
        let st = &policy.statements[index];
        let res = st.resources.as_ref().expect("an issue needs resources");
        // A statement about the action alone is split; one with other actions stays whole, so
        // that they keep every resource they had, and the untagged resource's statement is added.
        let start_session_only = st.actions.as_ref().is_some_and(|a| {
            !a.negated
                && a.patterns
                    .iter()
                    .all(|p| p.eq_ignore_ascii_case(shape.action))
        });
        let mut documents: Vec<String> = Vec::new();
        let mut others: Vec<String> = Vec::new();
        for (i, p) in res.patterns.iter().enumerate() {
            if p == "*" {
                let untagged = (shape.any_untagged)(partition);
                let tagged = (shape.any_tagged)(partition);
                let word = shape.untagged_label.trim_start_matches("the ");
                notes.push(if start_session_only {
                    format!(
                        "statement {}: Resource \"*\" was split into {} ({}) and every {word} ({}); narrow the {word} list to the ones your users need",
                        index + 1,
                        shape.tagged_plural,
                        tagged.join(", "),
                        untagged.join(", ")
                    )
                } else {
                    format!(
                        "statement {}: its other actions keep Resource \"*\"; the new statement allows {} on every {word} ({}); narrow it to the ones your users need",
                        index + 1,
                        shape.action,
                        untagged.join(", ")
                    )
                });
                documents.extend(untagged);
                others.extend(tagged);
            } else if issue.document_patterns.contains(&i) {
                documents.push(p.clone());
            } else {
                others.push(p.clone());
            }
        }
        let tag_keys: Vec<(&str, &str)> = issue
            .tag_conditions
            .iter()
            .map(|&i| {
                (
                    st.conditions[i].operator_text.as_str(),
                    st.conditions[i].key.as_str(),
                )
            })
            .collect();
        if !start_session_only {
            out.push(node.clone());
        } else if !others.is_empty() {
            out.push(with_resources(&node, &others));
        }
        out.push(untagged_statement(&node, &documents, &tag_keys, shape));

        probes.push(Probe {
            action: shape.action,
            label: shape.untagged_label.into(),
            resource: example_arn(&documents[0], shape.untagged_example),
            context: Context::new(),
        });
        if let Some(instance) = others.first() {
            let arn = example_arn(instance, shape.tagged_example);
            let mut tagged = Context::new();
            for &ci in &issue.tag_conditions {
                let c = &st.conditions[ci];
                let Some(tag) = c.key.split_once('/').map(|(_, t)| t) else {
                    continue;
                };
                let value = c
                    .values
                    .first()
                    .map(|v| v.replace(['*', '?'], "x"))
                    .unwrap_or_default();
                for prefix in shape.tag_prefixes {
                    tagged.insert(&format!("{prefix}{tag}"), value.clone());
                }
            }
            probes.push(Probe {
                action: shape.action,
                label: format!("{} with the required tags", shape.tagged_one),
                resource: arn.clone(),
                context: tagged,
            });
            probes.push(Probe {
                action: shape.action,
                label: format!("{} without them", shape.tagged_one),
                resource: arn,
                context: Context::new(),
            });
        }
    }
    statement.value.value = Json::Array(out);
    let text = root.to_pretty();
    let fixed = Policy::parse(&policy.name, &text).expect("the fixed policy is valid JSON");
    Some(Fixed {
        text,
        policy: fixed,
        split: issues.iter().map(|(i, _)| *i).collect(),
        notes,
        probes,
        shapes: vec![shape],
    })
}

/// `policy` with `pattern` added to the Resource of its statement `index` (0-based), when that
/// statement allows the action on one of its two resources and not on the other: ECS Exec's
/// cluster without its tasks, the commonest ExecuteCommand mistake. None when the statement has
/// no plain Resource list to add to.
pub fn add_resource(policy: &Policy, index: usize, pattern: &str) -> Option<Fixed> {
    let st = policy.statements.get(index)?;
    let res = st.resources.as_ref().filter(|r| !r.negated)?;
    let mut patterns = res.patterns.clone();
    patterns.push(pattern.to_owned());
    let mut root = policy.root.clone();
    let Json::Object(members) = &mut root.value else {
        return None;
    };
    let statement = members.iter_mut().rev().find(|m| m.key == "Statement")?;
    match &mut statement.value.value {
        Json::Array(items) => {
            let node = items.get_mut(index)?;
            *node = with_resources(node, &patterns);
        }
        Json::Object(_) if index == 0 => {
            statement.value = with_resources(&statement.value, &patterns)
        }
        _ => return None,
    }
    let text = root.to_pretty();
    let fixed = Policy::parse(&policy.name, &text).expect("the fixed policy is valid JSON");
    Some(Fixed {
        text,
        policy: fixed,
        split: Vec::new(),
        notes: Vec::new(),
        probes: Vec::new(),
        shapes: Vec::new(),
    })
}

impl Fixed {
    /// Evaluates the action on the untagged resource and on tagged and untagged ones, with
    /// the original (`before`) and the fixed policy (`after`).
    pub fn proof(&self, original: &Policy) -> Vec<ProofRow> {
        let before = std::slice::from_ref(original);
        let after = std::slice::from_ref(&self.policy);
        let mut rows: Vec<ProofRow> = Vec::new();
        for p in &self.probes {
            if rows
                .iter()
                .any(|r| r.action == p.action && r.label == p.label && r.resource == p.resource)
            {
                continue;
            }
            let req = Request::new(p.action, &p.resource, &p.context);
            rows.push(ProofRow {
                action: p.action,
                label: p.label.clone(),
                resource: p.resource.clone(),
                before: Evaluator::new(before, None).decide(&req),
                after: Evaluator::new(after, None).decide(&req),
            });
        }
        rows
    }
}

/// The statement with its Resource replaced.
fn with_resources(node: &Node, resources: &[String]) -> Node {
    let mut node = node.clone();
    if let Json::Object(members) = &mut node.value {
        for m in members.iter_mut() {
            if m.key == "Resource" {
                m.value = strings(resources);
            }
        }
    }
    node
}

/// `{Sid: <sid>Document, Effect: Allow, Action: ssm:StartSession, Resource: documents,
/// Condition: the original's minus the resource-tag keys}` (Cluster, ecs:ExecuteCommand for ECS).
fn untagged_statement(
    node: &Node,
    documents: &[String],
    tag_keys: &[(&str, &str)],
    shape: &TagSplit,
) -> Node {
    let mut members = Vec::new();
    if let Some(sid) = node.get("Sid").and_then(Node::as_str) {
        members.push(member("Sid", string(&format!("{sid}{}", shape.sid_suffix))));
    }
    members.push(member("Effect", string("Allow")));
    members.push(member("Action", string(shape.action)));
    members.push(member("Resource", strings(documents)));
    if let Some(Json::Object(ops)) = node.get("Condition").map(|c| &c.value) {
        let mut kept_ops = Vec::new();
        for op in ops {
            let Json::Object(keys) = &op.value.value else {
                continue;
            };
            let kept: Vec<Member> = keys
                .iter()
                .filter(|k| {
                    !tag_keys
                        .iter()
                        .any(|(o, key)| *o == op.key && *key == k.key)
                })
                .cloned()
                .collect();
            if !kept.is_empty() {
                kept_ops.push(member(
                    &op.key,
                    Node {
                        pos: Pos::default(),
                        value: Json::Object(kept),
                    },
                ));
            }
        }
        if !kept_ops.is_empty() {
            members.push(member(
                "Condition",
                Node {
                    pos: Pos::default(),
                    value: Json::Object(kept_ops),
                },
            ));
        }
    }
    Node {
        pos: Pos::default(),
        value: Json::Object(members),
    }
}

fn member(key: &str, value: Node) -> Member {
    Member {
        key: key.to_owned(),
        key_pos: Pos::default(),
        value,
    }
}

fn string(s: &str) -> Node {
    Node {
        pos: Pos::default(),
        value: Json::String(s.to_owned()),
    }
}

fn strings(items: &[String]) -> Node {
    if let [one] = items {
        return string(one);
    }
    Node {
        pos: Pos::default(),
        value: Json::Array(items.iter().map(|s| string(s)).collect()),
    }
}

/// A concrete ARN matching `pattern`: wildcards replaced by plausible values.
fn example_arn(pattern: &str, resource_id: &str) -> String {
    let segs: Vec<&str> = pattern.splitn(6, ':').collect();
    if segs.len() != 6 {
        return pattern.replace('*', resource_id).replace('?', "x");
    }
    let fill = |seg: &str, whole: &str| {
        if seg == "*" {
            whole.to_owned()
        } else {
            seg.replace(['*', '?'], "x")
        }
    };
    let resource = match segs[5].split_once('/') {
        Some((kind, rest)) if rest.contains(['*', '?']) => format!(
            "{kind}/{}",
            if rest == "*" {
                resource_id.to_owned()
            } else {
                rest.replace(['*', '?'], "x")
            }
        ),
        _ => segs[5].replace(['*', '?'], "x"),
    };
    format!(
        "{}:{}:{}:{}:{}:{}",
        segs[0],
        fill(segs[1], "aws"),
        fill(segs[2], "ssm"),
        fill(segs[3], "us-east-1"),
        fill(segs[4], "123456789012"),
        resource
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BROKEN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Connect",
      "Effect": "Allow",
      "Action": "ssm:StartSession",
      "Resource": [
        "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell",
        "arn:aws:ec2:us-east-1:123456789012:instance/*"
      ],
      "Condition": {"StringEquals": {"aws:ResourceTag/Env": "dev"}}
    },
    {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}
  ]
}"#;

    #[test]
    fn the_document_gets_its_own_statement_and_the_proof_shows_it() {
        let original = Policy::parse("broken.json", BROKEN).unwrap();
        let fixed = fix(&original).expect("something to fix");
        assert_eq!(fixed.split, [0]);
        let sts = &fixed.policy.statements;
        assert_eq!(sts.len(), 3);
        assert_eq!(
            sts[0].resources.as_ref().unwrap().patterns,
            ["arn:aws:ec2:us-east-1:123456789012:instance/*"]
        );
        assert_eq!(
            sts[0].conditions.len(),
            1,
            "the instance statement keeps its tag condition"
        );
        assert_eq!(sts[1].sid.as_deref(), Some("ConnectDocument"));
        assert_eq!(
            sts[1].resources.as_ref().unwrap().patterns,
            ["arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"]
        );
        assert!(
            sts[1].conditions.is_empty(),
            "the document statement has no tag condition"
        );
        assert_eq!(
            sts[2].actions.as_ref().unwrap().patterns,
            ["ec2:DescribeInstances"],
            "everything else untouched"
        );

        let proof = fixed.proof(&original);
        let row = |label: &str| {
            proof
                .iter()
                .find(|r| r.label.starts_with(label))
                .unwrap()
                .clone()
        };
        assert_eq!(
            (row("the session").before, row("the session").after),
            (Decision::ImplicitDeny, Decision::Allowed)
        );
        assert_eq!(
            (
                row("an instance with").before,
                row("an instance with").after
            ),
            (Decision::Allowed, Decision::Allowed),
            "the instance was never the problem"
        );
        assert_eq!(
            (
                row("an instance without").before,
                row("an instance without").after
            ),
            (Decision::ImplicitDeny, Decision::ImplicitDeny)
        );
    }

    #[test]
    fn a_star_resource_is_split_with_a_note() {
        let p = Policy::parse(
            "star.json",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ssm:*","Resource":"*","Condition":{"StringLike":{"ssm:resourceTag/Team":"data*"},"Bool":{"aws:SecureTransport":"true"}}}}"#,
        )
        .unwrap();
        let fixed = fix(&p).unwrap();
        assert_eq!(fixed.notes.len(), 1);
        let doc = &fixed.policy.statements[1];
        assert_eq!(
            doc.resources.as_ref().unwrap().patterns,
            ["arn:aws:ssm:*:*:document/*"]
        );
        assert_eq!(
            fixed.policy.statements[0]
                .resources
                .as_ref()
                .unwrap()
                .patterns,
            ["*"],
            "ssm:* keeps every resource it had"
        );
        assert_eq!(
            doc.conditions.len(),
            1,
            "non-tag conditions stay on the document statement"
        );
        assert_eq!(doc.conditions[0].key, "aws:SecureTransport");
    }

    #[test]
    fn other_actions_keep_their_resources_and_arns_stay_in_the_partition() {
        let p = Policy::parse(
            "cn.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:StartSession","ssm:SendCommand"],
              "Resource":["arn:aws-cn:ssm:cn-north-1:1:document/Ops","arn:aws-cn:ec2:*:*:instance/*"],
              "Condition":{"StringEquals":{"aws:ResourceTag/Env":"dev"}}}]}"#,
        )
        .unwrap();
        let fixed = fix(&p).unwrap();
        let sts = &fixed.policy.statements;
        assert_eq!(sts.len(), 2);
        assert_eq!(
            sts[0].resources.as_ref().unwrap().patterns,
            p.statements[0].resources.as_ref().unwrap().patterns,
            "SendCommand keeps the document and the instances"
        );
        assert_eq!(sts[0].conditions.len(), 1);
        assert_eq!(
            sts[1].resources.as_ref().unwrap().patterns,
            ["arn:aws-cn:ssm:cn-north-1:1:document/Ops"]
        );
        let star = Policy::parse(
            "gov.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:StartSession","Resource":"*",
              "Condition":{"StringEquals":{"aws:ResourceTag/Env":"dev"}}}]}"#,
        )
        .unwrap();
        let fixed = fix_in(&star, "aws-us-gov").unwrap();
        assert_eq!(
            fixed.policy.statements[1]
                .resources
                .as_ref()
                .unwrap()
                .patterns,
            ["arn:aws-us-gov:ssm:*:*:document/*"]
        );
        assert_eq!(
            fixed.policy.statements[0]
                .resources
                .as_ref()
                .unwrap()
                .patterns,
            [
                "arn:aws-us-gov:ec2:*:*:instance/*",
                "arn:aws-us-gov:ssm:*:*:managed-instance/*"
            ]
        );
    }

    #[test]
    fn both_mistakes_in_one_policy_are_fixed_and_proven_each_on_its_action() {
        let original = Policy::parse(
            "both.json",
            r#"{"Version":"2012-10-17","Statement":[
              {"Sid":"Connect","Effect":"Allow","Action":"ssm:StartSession",
               "Resource":["arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell","arn:aws:ec2:us-east-1:123456789012:instance/*"],
               "Condition":{"StringEquals":{"aws:ResourceTag/Team":"data"}}},
              {"Sid":"Read","Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"},
              {"Sid":"Exec","Effect":"Allow","Action":"ecs:ExecuteCommand",
               "Resource":["arn:aws:ecs:us-east-1:123456789012:cluster/*","arn:aws:ecs:us-east-1:123456789012:task/*"],
               "Condition":{"StringEquals":{"ecs:ResourceTag/Env":"dev"}}}]}"#,
        )
        .unwrap();
        let fixed = fix(&original).unwrap();
        assert_eq!(fixed.split, [0, 2], "numbered as the user wrote them");
        assert_eq!(
            fixed
                .shapes
                .iter()
                .map(|s| s.untagged_label)
                .collect::<Vec<_>>(),
            ["the session document", "the cluster"]
        );
        let proof = fixed.proof(&original);
        let untagged = |action: &str| {
            proof
                .iter()
                .find(|r| r.action == action && r.label.starts_with("the "))
                .map(|r| (r.before, r.after))
                .unwrap()
        };
        for action in ["ssm:StartSession", "ecs:ExecuteCommand"] {
            assert_eq!(
                untagged(action),
                (Decision::ImplicitDeny, Decision::Allowed),
                "{action}: {proof:?}"
            );
        }
        let untagged_tasks = proof
            .iter()
            .find(|r| r.action == "ecs:ExecuteCommand" && r.label == "a task without them")
            .unwrap();
        assert_eq!(untagged_tasks.after, Decision::ImplicitDeny, "no wider");
        assert!(crate::lint::lint(&fixed.policy)
            .iter()
            .all(|f| f.code != "SSM001" && f.code != "ECS001"));
    }

    #[test]
    fn the_cluster_gets_its_own_statement_and_keeps_the_container_condition() {
        let original = Policy::parse(
            "exec.json",
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Exec","Effect":"Allow","Action":"ecs:ExecuteCommand",
              "Resource":["arn:aws:ecs:us-east-1:123456789012:cluster/*","arn:aws:ecs:us-east-1:123456789012:task/*"],
              "Condition":{"StringEquals":{"ecs:ResourceTag/Env":"dev","ecs:container-name":"app"}}}]}"#,
        )
        .unwrap();
        assert_eq!(
            fix(&original).map(|f| f.text),
            split_in(&original, "aws", &ECS_CLUSTER).map(|f| f.text),
            "`policy fix` writes the cluster's statement too"
        );
        let fixed = split_in(&original, "aws", &ECS_CLUSTER).expect("something to fix");
        let sts = &fixed.policy.statements;
        assert_eq!(sts.len(), 2);
        assert_eq!(
            sts[0].resources.as_ref().unwrap().patterns,
            ["arn:aws:ecs:us-east-1:123456789012:task/*"]
        );
        assert_eq!(sts[0].conditions.len(), 2, "the task keeps both conditions");
        assert_eq!(sts[1].sid.as_deref(), Some("ExecCluster"));
        assert_eq!(
            sts[1].actions.as_ref().unwrap().patterns,
            ["ecs:ExecuteCommand"]
        );
        let kept: Vec<&str> = sts[1].conditions.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(kept, ["ecs:container-name"], "only the tag condition goes");
        let proof = fixed.proof(&original);
        let row = |label: &str| {
            let r = proof.iter().find(|r| r.label.starts_with(label)).unwrap();
            (r.before, r.after)
        };
        // The container-name condition holds on no probe (they carry only tags), so the
        // cluster's row shows the condition that stays.
        assert_eq!(
            row("the cluster"),
            (Decision::ImplicitDeny, Decision::ImplicitDeny)
        );
        assert_eq!(
            row("a task with"),
            (Decision::ImplicitDeny, Decision::ImplicitDeny)
        );
    }

    #[test]
    fn a_resource_is_added_to_the_statement_it_belongs_to() {
        let original = Policy::parse(
            "exec.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:DescribeTasks","Resource":"*"},
              {"Effect":"Allow","Action":"ecs:ExecuteCommand","Resource":"arn:aws:ecs:us-east-1:1:cluster/prod"}]}"#,
        )
        .unwrap();
        let fixed = add_resource(&original, 1, "arn:aws:ecs:us-east-1:1:task/prod/*").unwrap();
        assert_eq!(
            fixed.policy.statements[1]
                .resources
                .as_ref()
                .unwrap()
                .patterns,
            [
                "arn:aws:ecs:us-east-1:1:cluster/prod",
                "arn:aws:ecs:us-east-1:1:task/prod/*"
            ]
        );
        assert_eq!(
            fixed.policy.statements[0]
                .resources
                .as_ref()
                .unwrap()
                .patterns,
            ["*"]
        );
        assert!(add_resource(&original, 2, "x").is_none());
    }

    #[test]
    fn nothing_to_fix_is_none() {
        let p = Policy::parse("ok.json", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:StartSession","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:ResourceTag/Env":"dev"}}}]}"#).unwrap();
        assert!(fix(&p).is_none());
    }

    #[test]
    fn example_arns_fill_wildcards_plausibly() {
        assert_eq!(
            example_arn("arn:aws:ec2:*:*:instance/*", "i-1"),
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1"
        );
        assert_eq!(
            example_arn("arn:aws:ssm:us-east-1::document/AWS-*", "d"),
            "arn:aws:ssm:us-east-1::document/AWS-x"
        );
    }
}
