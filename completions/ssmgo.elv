
use builtin;
use str;

set edit:completion:arg-completer[ssmgo] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'ssmgo'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'ssmgo'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --generate 'Write the man pages and completion scripts into DIR/man and DIR/completions (for packagers; the committed files are these), then exit'
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --document 'The Session Manager document to start (default: the account''s shell document)'
            cand --parameters 'The document''s parameters, as a JSON object of string lists'
            cand --reason 'Why you are connecting (recorded by Session Manager, up to 256 characters)'
            cand --wait 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --dry-run 'Resolve the target and print the request and plugin command; start nothing'
            cand --no-check 'Skip the access pre-check (IAM policy simulation) before StartSession'
            cand --strict 'Refuse to connect when the access pre-check can''t run'
            cand --refresh 'Ignore the cached listing: the picker waits for a fresh one'
            cand --start 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the instances you can connect to, with their SSM status'
            cand ls 'List the instances you can connect to, with their SSM status'
            cand check 'Check, without connecting, whether you may start a session on TARGET, and why not'
            cand run 'Run a shell command on one instance or many (Run Command), with its output and exit status'
            cand doctor 'Find why TARGET can''t take a session, from the instance''s side, and how to fix it'
            cand ecs 'Open a shell in a running ECS container (ECS Exec), pre-checked; list, check, doctor'
            cand policy 'Check IAM policies offline: evaluate a request, lint, fix the Session Manager mistake'
            cand connect 'Start a shell session on an instance (the default command)'
            cand forward 'Forward local ports to ports on the instance, or on hosts it can reach; kept up until Ctrl-C'
            cand ssh-proxy 'Carry an SSH connection over Session Manager: for ssh''s ProxyCommand (AWS-StartSSHSession)'
            cand ssh-config 'Print a ~/.ssh/config block that sends SSH to instances through `ssmgo ssh-proxy`'
            cand ssh 'SSH to an instance with a key made for this connection alone: no key on the instance'
            cand completions 'Print the completion script for SHELL (the same as the files in completions/)'
            cand config 'Show where the config file is, or the effective settings and where each came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;list'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --json 'Write a JSON array (the default when stdout is not a terminal); `--json=report` writes an object: the rows as `instances`, the accounts/regions that could not be listed as `left_out` (with why), and whether the listing is `complete`'
            cand --page-size 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand -a 'Also list stopped, starting and stopping instances (each with the reason it can''t be connected to, as the running ones that can''t take a session have)'
            cand --all 'Also list stopped, starting and stopping instances (each with the reason it can''t be connected to, as the running ones that can''t take a session have)'
            cand --refresh 'A fresh listing: `list` always asks AWS (and refreshes the picker''s cache with what it finds); taken here because the picker takes it'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ls'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --json 'Write a JSON array (the default when stdout is not a terminal); `--json=report` writes an object: the rows as `instances`, the accounts/regions that could not be listed as `left_out` (with why), and whether the listing is `complete`'
            cand --page-size 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand -a 'Also list stopped, starting and stopping instances (each with the reason it can''t be connected to, as the running ones that can''t take a session have)'
            cand --all 'Also list stopped, starting and stopping instances (each with the reason it can''t be connected to, as the running ones that can''t take a session have)'
            cand --refresh 'A fresh listing: `list` always asks AWS (and refreshes the picker''s cache with what it finds); taken here because the picker takes it'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;check'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --document 'The Session Manager document the session would use (default: SSM-SessionManagerRunShell)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --json 'Write the result as JSON'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;run'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --max-concurrency 'How many instances run it at once: a count or a percentage of the targets (AWS''s MaxConcurrency; default 50, or run-max-concurrency in the config)'
            cand --max-errors 'How many may fail before it is sent to no more instances: a count or a percentage (AWS''s MaxErrors; default 0, which stops after the first failure, or run-max-errors)'
            cand --timeout 'Stop the command on an instance after DURATION (default 1h; e.g. 30s, 10m)'
            cand --output-s3 'Have SSM write the whole output to this S3 bucket (and key prefix), and read it back where SSM cut what it returns (24,000 characters of stdout, 8,000 of stderr)'
            cand --json 'Write the results as JSON (instance, status, exit code, duration, output; with several accounts or regions, each one''s account and region); `--json=report` writes an object: the rows as `results`, the accounts/regions that could not be searched as `left_out`, and whether the run is `complete`'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --all 'Every running instance the picker would show for the query TARGET (fuzzy, as typed in the picker), instead of one'
            cand --group 'Print each instance''s output as one block under its name, instead of marking every line'
            cand --no-check 'Skip the access pre-check (ssm:SendCommand simulated per target)'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;doctor'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --document 'The Session Manager document the session would use (default: SSM-SessionManagerRunShell)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --json 'Write the result as JSON'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ecs'= {
            cand --cluster 'Only this cluster (name or ARN; repeat for several). Default: every cluster'
            cand --service 'Only the tasks of this service'
            cand --container 'Only containers of this name (the one to open in a task of several)'
            cand -t 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --command 'The command to run in the container'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --dry-run 'Resolve the container, pre-check, and print the request and plugin command; start nothing'
            cand --no-check 'Skip the access pre-check (IAM policy simulation) before ExecuteCommand'
            cand --strict 'Refuse to go on when the access pre-check can''t run or depends on what only AWS sees'
            cand --refresh 'Ignore the cached listing: the picker waits for a fresh one'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the running tasks'' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent''s status. A table on a terminal, a JSON array otherwise (or with --json)'
            cand check 'Check, without running anything, whether you may run a command in TASK''s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check'
            cand doctor 'Find why TASK''s container can''t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster''s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found'
            cand forward 'Forward local ports to TASK''s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;ecs;list'= {
            cand --cluster 'Only this cluster (name or ARN; repeat for several). Default: every cluster'
            cand --service 'Only the tasks of this service'
            cand --container 'Only containers of this name (the one to open in a task of several)'
            cand -t 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --json 'Write a JSON array (the default when stdout is not a terminal)'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ecs;check'= {
            cand --cluster 'Only this cluster (name or ARN; repeat for several). Default: every cluster'
            cand --service 'Only the tasks of this service'
            cand --container 'Only containers of this name (the one to open in a task of several)'
            cand -t 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --json 'Write the result as JSON'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ecs;doctor'= {
            cand --cluster 'Only this cluster (name or ARN; repeat for several). Default: every cluster'
            cand --service 'Only the tasks of this service'
            cand --container 'Only containers of this name (the one to open in a task of several)'
            cand -t 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --json 'Write the result as JSON'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ecs;forward'= {
            cand --cluster 'Only this cluster (name or ARN; repeat for several). Default: every cluster'
            cand --service 'Only the tasks of this service'
            cand --container 'Only containers of this name (the one to open in a task of several)'
            cand -t 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --to 'Forward to this host (name or IP, as the container resolves it) instead of the container, for the mappings that name no host'
            cand --keep-alive 'Keep idle tunnels from Session Manager''s idle timeout: every DURATION, open and close a connection through each. E.g. 5m (forward-keep-alive)'
            cand --reason 'Why you are connecting (recorded by Session Manager, up to 256 characters)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --no-reconnect 'End when a tunnel''s session ends, instead of opening it again (forward-reconnect = false in the config)'
            cand --dry-run 'Resolve the container, pre-check, and print the requests; start nothing'
            cand --no-check 'Skip the access pre-check (IAM policy simulation) before StartSession'
            cand --strict 'Refuse to go on when the access pre-check can''t run or depends on what only AWS sees'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ecs;help'= {
            cand list 'List the running tasks'' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent''s status. A table on a terminal, a JSON array otherwise (or with --json)'
            cand check 'Check, without running anything, whether you may run a command in TASK''s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check'
            cand doctor 'Find why TASK''s container can''t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster''s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found'
            cand forward 'Forward local ports to TASK''s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;ecs;help;list'= {
        }
        &'ssmgo;ecs;help;check'= {
        }
        &'ssmgo;ecs;help;doctor'= {
        }
        &'ssmgo;ecs;help;forward'= {
        }
        &'ssmgo;ecs;help;help'= {
        }
        &'ssmgo;policy'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help'
            cand --help 'Print help'
            cand eval 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input'
            cand lint 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input'
            cand fix 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;policy;eval'= {
            cand --policy 'An identity-based policy document (repeat for several). Without one, nothing allows the request: the answer is implicitDeny, as IAM''s would be'
            cand --boundary 'A permissions boundary: the request must be allowed by it too'
            cand --action 'The action, e.g. ssm:StartSession'
            cand --resource 'The resource ARN, e.g. arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell'
            cand --principal 'The caller''s ARN: sets aws:PrincipalArn, aws:PrincipalAccount and, for users, aws:username'
            cand --context 'A request context value, e.g. aws:ResourceTag/Env=dev (repeat a key for several values)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --json 'Write the result as JSON'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssmgo;policy;lint'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --json 'Write the findings as JSON'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssmgo;policy;fix'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssmgo;policy;help'= {
            cand eval 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input'
            cand lint 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input'
            cand fix 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;policy;help;eval'= {
        }
        &'ssmgo;policy;help;lint'= {
        }
        &'ssmgo;policy;help;fix'= {
        }
        &'ssmgo;policy;help;help'= {
        }
        &'ssmgo;connect'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --document 'The Session Manager document to start (default: the account''s shell document)'
            cand --parameters 'The document''s parameters, as a JSON object of string lists'
            cand --reason 'Why you are connecting (recorded by Session Manager, up to 256 characters)'
            cand --wait 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --dry-run 'Resolve the target and print the request and plugin command; start nothing'
            cand --no-check 'Skip the access pre-check (IAM policy simulation) before StartSession'
            cand --strict 'Refuse to connect when the access pre-check can''t run'
            cand --refresh 'Ignore the cached listing: the picker waits for a fresh one'
            cand --start 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;forward'= {
            cand --to 'Forward to this host (name or IP, as the instance resolves it) instead of the instance, for the mappings that name no host'
            cand --keep-alive 'Keep idle tunnels from Session Manager''s idle timeout: every DURATION, open and close a connection through each (the remote port sees it). E.g. 5m (forward-keep-alive)'
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --reason 'Why you are connecting (recorded by Session Manager, up to 256 characters)'
            cand --wait 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --no-reconnect 'End when a tunnel''s session ends, instead of opening it again (as the AWS CLI does; forward-reconnect = false in the config)'
            cand --dry-run 'Resolve the target and print the request and plugin command; start nothing'
            cand --no-check 'Skip the access pre-check (IAM policy simulation) before StartSession'
            cand --strict 'Refuse to connect when the access pre-check can''t run'
            cand --refresh 'Ignore the cached listing: the picker waits for a fresh one'
            cand --start 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ssh-proxy'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --os-user 'The OS user the key is pushed for (ssh''s %r; default ec2-user)'
            cand --public-key 'The public key to push (default: the first key ssh-agent holds, else the first of ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --no-check 'Skip the access pre-check'
            cand --send-key 'Push your public key to the instance first with EC2 Instance Connect (valid 60 s), so no key needs to be on the instance (`send-key = true` in the config does it always)'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ssh-config'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --no-check 'Write `ssh-proxy --no-check`: let AWS decide without the access pre-check'
            cand --send-key 'Write `ssh-proxy --send-key --os-user %r`: push your key with EC2 Instance Connect on every connection'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssmgo;ssh'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --no-check 'Skip the access pre-checks (StartSession and the key push)'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;completions'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;config'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help'
            cand --help 'Print help'
            cand path 'Print the config file''s path (whether or not it exists)'
            cand show 'Print each effective setting and where it came from (flag, environment, config, default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;config;path'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssmgo;config;show'= {
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET'
            cand --region 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]'
            cand -P 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --preset 'Use the named preset from the config file (its profile, region, tags, document, columns)'
            cand --color 'When to colour the output [env: NO_COLOR disables it]'
            cand --org 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
            cand -v 'Show the AWS calls made, and the full AWS error behind a failure'
            cand --verbose 'Show the AWS calls made, and the full AWS error behind a failure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssmgo;config;help'= {
            cand path 'Print the config file''s path (whether or not it exists)'
            cand show 'Print each effective setting and where it came from (flag, environment, config, default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;config;help;path'= {
        }
        &'ssmgo;config;help;show'= {
        }
        &'ssmgo;config;help;help'= {
        }
        &'ssmgo;help'= {
            cand list 'List the instances you can connect to, with their SSM status'
            cand check 'Check, without connecting, whether you may start a session on TARGET, and why not'
            cand run 'Run a shell command on one instance or many (Run Command), with its output and exit status'
            cand doctor 'Find why TARGET can''t take a session, from the instance''s side, and how to fix it'
            cand ecs 'Open a shell in a running ECS container (ECS Exec), pre-checked; list, check, doctor'
            cand policy 'Check IAM policies offline: evaluate a request, lint, fix the Session Manager mistake'
            cand connect 'Start a shell session on an instance (the default command)'
            cand forward 'Forward local ports to ports on the instance, or on hosts it can reach; kept up until Ctrl-C'
            cand ssh-proxy 'Carry an SSH connection over Session Manager: for ssh''s ProxyCommand (AWS-StartSSHSession)'
            cand ssh-config 'Print a ~/.ssh/config block that sends SSH to instances through `ssmgo ssh-proxy`'
            cand ssh 'SSH to an instance with a key made for this connection alone: no key on the instance'
            cand completions 'Print the completion script for SHELL (the same as the files in completions/)'
            cand config 'Show where the config file is, or the effective settings and where each came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;help;list'= {
        }
        &'ssmgo;help;check'= {
        }
        &'ssmgo;help;run'= {
        }
        &'ssmgo;help;doctor'= {
        }
        &'ssmgo;help;ecs'= {
            cand list 'List the running tasks'' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent''s status. A table on a terminal, a JSON array otherwise (or with --json)'
            cand check 'Check, without running anything, whether you may run a command in TASK''s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check'
            cand doctor 'Find why TASK''s container can''t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster''s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found'
            cand forward 'Forward local ports to TASK''s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C'
        }
        &'ssmgo;help;ecs;list'= {
        }
        &'ssmgo;help;ecs;check'= {
        }
        &'ssmgo;help;ecs;doctor'= {
        }
        &'ssmgo;help;ecs;forward'= {
        }
        &'ssmgo;help;policy'= {
            cand eval 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input'
            cand lint 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input'
            cand fix 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)'
        }
        &'ssmgo;help;policy;eval'= {
        }
        &'ssmgo;help;policy;lint'= {
        }
        &'ssmgo;help;policy;fix'= {
        }
        &'ssmgo;help;connect'= {
        }
        &'ssmgo;help;forward'= {
        }
        &'ssmgo;help;ssh-proxy'= {
        }
        &'ssmgo;help;ssh-config'= {
        }
        &'ssmgo;help;ssh'= {
        }
        &'ssmgo;help;completions'= {
        }
        &'ssmgo;help;config'= {
            cand path 'Print the config file''s path (whether or not it exists)'
            cand show 'Print each effective setting and where it came from (flag, environment, config, default)'
        }
        &'ssmgo;help;config;path'= {
        }
        &'ssmgo;help;config;show'= {
        }
        &'ssmgo;help;help'= {
        }
    ]
    $completions[$command]
}
