//! ECS in the emulator (tests/emu/ecs.py): a test's own cluster (with or without an
//! execute-command configuration), task roles, and tasks built healthy or with one cause of
//! ECS Exec failing — exec not enabled, an old Fargate platform version, a read-only root file
//! system, no task role or one without the ssmmessages actions, no way to ssmmessages; and a
//! task launched on an EC2 container instance (bridge network: the instance's way out).

use aws_sdk_ecs::types::{
    AwsVpcConfiguration, ClusterConfiguration, ContainerDefinition, ExecuteCommandConfiguration,
    ExecuteCommandLogConfiguration, ExecuteCommandLogging, LaunchType, NetworkConfiguration,
    NetworkMode, Tag,
};

use super::{Emu, REGION};

/// The task role's policy ECS Exec needs: the four ssmmessages channel actions.
pub const CHANNELS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], "Resource": "*"}]}"#;

const ECS_TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;

/// A started task: its ARN and id.
#[derive(Debug, Clone)]
pub struct Task {
    pub arn: String,
    pub id: String,
}

/// A task to start in a test's cluster.
pub struct TaskSpec<'a> {
    emu: &'a Emu,
    cluster: String,
    family: String,
    containers: Vec<(String, bool)>,
    exec: bool,
    platform_version: Option<String>,
    task_role: Option<String>,
    service: Option<String>,
    tags: Vec<(String, String)>,
    way_out: bool,
}

impl Emu {
    fn ecs(&self) -> aws_sdk_ecs::Client {
        aws_sdk_ecs::Client::new(&self.sdk)
    }

    /// A cluster `name` with no execute-command configuration of its own.
    pub fn ecs_cluster(&self, name: &str) -> String {
        self.rt.block_on(async {
            self.ecs()
                .create_cluster()
                .cluster_name(name)
                .send()
                .await
                .expect("CreateCluster");
        });
        name.to_owned()
    }

    /// A cluster whose sessions are encrypted with `kms_key` and logged to `bucket` (when given).
    pub fn ecs_cluster_configured(
        &self,
        name: &str,
        kms_key: Option<&str>,
        bucket: Option<&str>,
    ) -> String {
        let mut exec =
            ExecuteCommandConfiguration::builder().set_kms_key_id(kms_key.map(str::to_owned));
        if let Some(bucket) = bucket {
            exec = exec
                .logging(ExecuteCommandLogging::Override)
                .log_configuration(
                    ExecuteCommandLogConfiguration::builder()
                        .s3_bucket_name(bucket)
                        .s3_key_prefix("exec/")
                        .build(),
                );
        }
        self.rt.block_on(async {
            self.ecs()
                .create_cluster()
                .cluster_name(name)
                .configuration(
                    ClusterConfiguration::builder()
                        .execute_command_configuration(exec.build())
                        .build(),
                )
                .send()
                .await
                .expect("CreateCluster");
        });
        name.to_owned()
    }

    /// A role ECS tasks may assume, with `policy` inline; returns its ARN.
    pub fn task_role(&self, name: &str, policy: &str) -> String {
        self.role_trusting(name, ECS_TRUST, "task", policy)
    }

    /// A healthy Fargate task of `family` in `cluster`, one container "app", exec enabled, a
    /// task role allowed the channels (named after the family): change what the test is about.
    /// An exec-enabled task of `family` in bridge network mode on a container instance of
    /// `cluster`: an EC2 instance in a network of its own, routed out through a NAT gateway when
    /// `way_out`. Returns the task and the instance's id.
    pub fn ecs_task_on_instance(
        &self,
        cluster: &str,
        family: &str,
        way_out: bool,
    ) -> (Task, String) {
        // A network of its own for each way: one with a NAT route, one without.
        let net = self.private_network(REGION, if way_out { 78 } else { 79 });
        if way_out {
            self.route_through_nat(&net);
        }
        let role = format!("arn:aws:iam::{}:role/{family}-task", self.account);
        self.task_role(&format!("{family}-task"), CHANNELS);
        self.rt.block_on(async {
            let instance = self
                .ec2
                .run_instances()
                .image_id("ami-12c6146b")
                .instance_type(aws_sdk_ec2::types::InstanceType::T3Large)
                .min_count(1)
                .max_count(1)
                .subnet_id(&net.subnet)
                .send()
                .await
                .expect("RunInstances");
            let instance = instance.instances()[0].instance_id().unwrap().to_owned();
            let ecs = self.ecs();
            // As the ECS agent registers its instance: with the instance identity document.
            let identity = format!(
                r#"{{"instanceId": "{instance}", "region": "{REGION}", "accountId": "{}"}}"#,
                self.account
            );
            ecs.register_container_instance()
                .cluster(cluster)
                .instance_identity_document(identity)
                .send()
                .await
                .expect("RegisterContainerInstance");
            ecs.register_task_definition()
                .family(family)
                .network_mode(NetworkMode::Bridge)
                .task_role_arn(role)
                .container_definitions(
                    ContainerDefinition::builder()
                        .name("app")
                        .image("public.ecr.aws/docker/library/busybox")
                        .memory(128)
                        .build(),
                )
                .send()
                .await
                .expect("RegisterTaskDefinition");
            let out = ecs
                .run_task()
                .cluster(cluster)
                .task_definition(family)
                .launch_type(LaunchType::Ec2)
                .enable_execute_command(true)
                .send()
                .await
                .expect("RunTask");
            let arn = out.tasks()[0].task_arn().unwrap().to_owned();
            let task = Task {
                id: arn.rsplit('/').next().unwrap().to_owned(),
                arn,
            };
            (task, instance)
        })
    }

    /// Stops a task (StopTask): it is no longer listed as running.
    pub fn stop_ecs_task(&self, cluster: &str, task_arn: &str) {
        self.rt.block_on(async {
            self.ecs()
                .stop_task()
                .cluster(cluster)
                .task(task_arn)
                .send()
                .await
                .expect("StopTask");
        });
    }

    pub fn ecs_task(&self, cluster: &str, family: &str) -> TaskSpec<'_> {
        TaskSpec {
            emu: self,
            cluster: cluster.to_owned(),
            family: family.to_owned(),
            containers: vec![("app".into(), false)],
            exec: true,
            platform_version: None,
            task_role: Some(format!("{family}-task")),
            service: None,
            tags: Vec::new(),
            way_out: true,
        }
    }
}

impl TaskSpec<'_> {
    /// Its containers: (name, read-only root file system).
    pub fn containers(mut self, containers: &[(&str, bool)]) -> Self {
        self.containers = containers
            .iter()
            .map(|(n, r)| ((*n).to_owned(), *r))
            .collect();
        self
    }

    pub fn exec_disabled(mut self) -> Self {
        self.exec = false;
        self
    }

    pub fn platform_version(mut self, version: &str) -> Self {
        self.platform_version = Some(version.to_owned());
        self
    }

    /// The task role's policy instead of [`CHANNELS`]; None: no task role at all.
    pub fn task_role_policy(mut self, policy: Option<&str>) -> Self {
        self.task_role = policy.map(|p| {
            self.emu
                .task_role(&format!("{}-task", self.family), p)
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        });
        self
    }

    pub fn service(mut self, name: &str) -> Self {
        self.service = Some(name.to_owned());
        self
    }

    /// A network with no way to ssmmessages (no route out, no endpoint).
    pub fn no_way_out(mut self) -> Self {
        self.way_out = false;
        self
    }

    pub fn tag(mut self, key: &str, value: &str) -> Self {
        self.tags.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Registers the task definition and runs the task.
    pub fn launch(self) -> Task {
        let emu = self.emu;
        let role_arn = self.task_role.as_ref().map(|name| {
            let arn = format!("arn:aws:iam::{}:role/{name}", emu.account);
            // The default role, unless the test made its own already.
            let exists = emu
                .rt
                .block_on(emu.iam.get_role().role_name(name).send())
                .is_ok();
            if !exists {
                emu.task_role(name, CHANNELS);
            }
            arn
        });
        // Its own network: routed out through a NAT gateway unless the test takes the way away.
        let net = emu.private_network(REGION, 77);
        if self.way_out {
            emu.route_through_nat(&net);
        }
        emu.rt.block_on(async {
            let ecs = emu.ecs();
            let mut def = ecs
                .register_task_definition()
                .family(&self.family)
                .network_mode(NetworkMode::Awsvpc)
                .requires_compatibilities(aws_sdk_ecs::types::Compatibility::Fargate)
                .cpu("256")
                .memory("512")
                .set_task_role_arn(role_arn);
            for (name, read_only) in &self.containers {
                def = def.container_definitions(
                    ContainerDefinition::builder()
                        .name(name)
                        .image("public.ecr.aws/docker/library/busybox")
                        .memory(128)
                        .readonly_root_filesystem(*read_only)
                        .build(),
                );
            }
            def.send().await.expect("RegisterTaskDefinition");
            let (vpc, subnet) = (net.vpc.clone(), net.subnet.clone());
            // moto's RunTask wants a security group where AWS would take the VPC's default one.
            let group = emu
                .ec2
                .create_security_group()
                .group_name(format!("{}-sg", self.family))
                .description("ECS task")
                .vpc_id(&vpc)
                .send()
                .await
                .expect("CreateSecurityGroup");
            let group = group.group_id().unwrap().to_owned();
            let mut run = ecs
                .run_task()
                .cluster(&self.cluster)
                .task_definition(&self.family)
                .launch_type(LaunchType::Fargate)
                .enable_execute_command(self.exec)
                .set_platform_version(self.platform_version.clone())
                .network_configuration(
                    NetworkConfiguration::builder()
                        .awsvpc_configuration(
                            AwsVpcConfiguration::builder()
                                .subnets(subnet)
                                .security_groups(group)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .set_group(self.service.as_ref().map(|s| format!("service:{s}")));
            for (k, v) in &self.tags {
                run = run.tags(Tag::builder().key(k).value(v).build());
            }
            let out = run.send().await.expect("RunTask");
            let arn = out.tasks()[0].task_arn().unwrap().to_owned();
            Task {
                id: arn.rsplit('/').next().unwrap().to_owned(),
                arn,
            }
        })
    }
}
