//! The ARNs ssmgo builds itself, for the resources it asks IAM about: the pre-check names the
//! session document and the instance, the doctor the instance its agent's calls come from. One
//! place, so both spell them as AWS authorizes them.

/// The ARN StartSession authorizes for a document: AWS-owned documents (AWS-…) have an empty
/// account field.
pub fn document_arn(partition: &str, region: &str, account: &str, name: &str) -> String {
    if name.starts_with("arn:") {
        return name.to_owned();
    }
    let owner = if name.starts_with("AWS-") {
        ""
    } else {
        account
    };
    format!("arn:{partition}:ssm:{region}:{owner}:document/{name}")
}

/// The ARN StartSession authorizes for a target: an EC2 instance or a hybrid managed node.
pub fn target_arn(partition: &str, region: &str, account: &str, id: &str) -> String {
    if id.starts_with("mi-") {
        format!("arn:{partition}:ssm:{region}:{account}:managed-instance/{id}")
    } else {
        format!("arn:{partition}:ec2:{region}:{account}:instance/{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_owned_documents_have_an_empty_account_field() {
        assert_eq!(
            document_arn(
                "aws",
                "eu-west-1",
                "123456789012",
                "SSM-SessionManagerRunShell"
            ),
            "arn:aws:ssm:eu-west-1:123456789012:document/SSM-SessionManagerRunShell"
        );
        assert_eq!(
            document_arn(
                "aws",
                "eu-west-1",
                "123456789012",
                "AWS-StartPortForwardingSession"
            ),
            "arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSession"
        );
        assert_eq!(
            document_arn(
                "aws-cn",
                "cn-north-1",
                "1",
                "arn:aws-cn:ssm:cn-north-1:2:document/X"
            ),
            "arn:aws-cn:ssm:cn-north-1:2:document/X"
        );
    }

    #[test]
    fn hybrid_nodes_are_managed_instances() {
        assert_eq!(
            target_arn("aws", "us-east-1", "1", "i-0abc"),
            "arn:aws:ec2:us-east-1:1:instance/i-0abc"
        );
        assert_eq!(
            target_arn("aws", "us-east-1", "1", "mi-0abc"),
            "arn:aws:ssm:us-east-1:1:managed-instance/mi-0abc"
        );
    }
}
