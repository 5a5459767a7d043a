# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ssmgo_global_optspecs
    string join \n profile= region= endpoint-url= org P/preset= color= v/verbose generate= t/tag= document= parameters= reason= dry-run no-check strict refresh start wait= h/help V/version
end

function __fish_ssmgo_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ssmgo_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ssmgo_using_subcommand
    set -l cmd (__fish_ssmgo_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ssmgo -n "__fish_ssmgo_needs_command" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l generate -d 'Write the man pages and completion scripts into DIR/man and DIR/completions (for packagers; the committed files are these), then exit' -r -F
complete -c ssmgo -n "__fish_ssmgo_needs_command" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l document -d 'The Session Manager document to start (default: the account\'s shell document)' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l parameters -d 'The document\'s parameters, as a JSON object of string lists' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l reason -d 'Why you are connecting (recorded by Session Manager, up to 256 characters)' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l wait -d 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)' -r
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l dry-run -d 'Resolve the target and print the request and plugin command; start nothing'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l no-check -d 'Skip the access pre-check (IAM policy simulation) before StartSession'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l strict -d 'Refuse to connect when the access pre-check can\'t run'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l refresh -d 'Ignore the cached listing: the picker waits for a fresh one'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -l start -d 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -s V -l version -d 'Print version'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "list" -d 'List the instances you can connect to, with their SSM status'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "ls" -d 'List the instances you can connect to, with their SSM status'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "check" -d 'Check, without connecting, whether you may start a session on TARGET, and why not'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "run" -d 'Run a shell command on one instance or many (Run Command), with its output and exit status'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "doctor" -d 'Find why TARGET can\'t take a session, from the instance\'s side, and how to fix it'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "ecs" -d 'Open a shell in a running ECS container (ECS Exec), pre-checked; list, check, doctor'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "policy" -d 'Check IAM policies offline: evaluate a request, lint, fix the Session Manager mistake'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "connect" -d 'Start a shell session on an instance (the default command)'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "forward" -d 'Forward local ports to ports on the instance, or on hosts it can reach; kept up until Ctrl-C'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "ssh-proxy" -d 'Carry an SSH connection over Session Manager: for ssh\'s ProxyCommand (AWS-StartSSHSession)'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "ssh-config" -d 'Print a ~/.ssh/config block that sends SSH to instances through `ssmgo ssh-proxy`'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "ssh" -d 'SSH to an instance with a key made for this connection alone: no key on the instance'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "completions" -d 'Print the completion script for SHELL (the same as the files in completions/)'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "config" -d 'Show where the config file is, or the effective settings and where each came from'
complete -c ssmgo -n "__fish_ssmgo_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -l json -d 'Write a JSON array (the default when stdout is not a terminal); `--json=report` writes an object: the rows as `instances`, the accounts/regions that could not be listed as `left_out` (with why), and whether the listing is `complete`' -r -f -a "rows\t'An array of rows (`--json` alone)'
report\t'An object: the rows, the accounts/regions left out and why, and whether it is complete'"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -l page-size -d 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -s a -l all -d 'Also list stopped, starting and stopping instances (each with the reason it can\'t be connected to, as the running ones that can\'t take a session have)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -l refresh -d 'A fresh listing: `list` always asks AWS (and refreshes the picker\'s cache with what it finds); taken here because the picker takes it'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -l json -d 'Write a JSON array (the default when stdout is not a terminal); `--json=report` writes an object: the rows as `instances`, the accounts/regions that could not be listed as `left_out` (with why), and whether the listing is `complete`' -r -f -a "rows\t'An array of rows (`--json` alone)'
report\t'An object: the rows, the accounts/regions left out and why, and whether it is complete'"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -l page-size -d 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -s a -l all -d 'Also list stopped, starting and stopping instances (each with the reason it can\'t be connected to, as the running ones that can\'t take a session have)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -l refresh -d 'A fresh listing: `list` always asks AWS (and refreshes the picker\'s cache with what it finds); taken here because the picker takes it'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -l document -d 'The Session Manager document the session would use (default: SSM-SessionManagerRunShell)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -l json -d 'Write the result as JSON'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l max-concurrency -d 'How many instances run it at once: a count or a percentage of the targets (AWS\'s MaxConcurrency; default 50, or run-max-concurrency in the config)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l max-errors -d 'How many may fail before it is sent to no more instances: a count or a percentage (AWS\'s MaxErrors; default 0, which stops after the first failure, or run-max-errors)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l timeout -d 'Stop the command on an instance after DURATION (default 1h; e.g. 30s, 10m)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l output-s3 -d 'Have SSM write the whole output to this S3 bucket (and key prefix), and read it back where SSM cut what it returns (24,000 characters of stdout, 8,000 of stderr)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l json -d 'Write the results as JSON (instance, status, exit code, duration, output; with several accounts or regions, each one\'s account and region); `--json=report` writes an object: the rows as `results`, the accounts/regions that could not be searched as `left_out`, and whether the run is `complete`' -r -f -a "rows\t'An array of rows (`--json` alone)'
report\t'An object: the rows, the accounts/regions left out and why, and whether it is complete'"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l all -d 'Every running instance the picker would show for the query TARGET (fuzzy, as typed in the picker), instead of one'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l group -d 'Print each instance\'s output as one block under its name, instead of marking every line'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l no-check -d 'Skip the access pre-check (ssm:SendCommand simulated per target)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -l document -d 'The Session Manager document the session would use (default: SSM-SessionManagerRunShell)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -l json -d 'Write the result as JSON'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l cluster -d 'Only this cluster (name or ARN; repeat for several). Default: every cluster' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l service -d 'Only the tasks of this service' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l container -d 'Only containers of this name (the one to open in a task of several)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -s t -l tag -d 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l command -d 'The command to run in the container' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l dry-run -d 'Resolve the container, pre-check, and print the request and plugin command; start nothing'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l no-check -d 'Skip the access pre-check (IAM policy simulation) before ExecuteCommand'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l strict -d 'Refuse to go on when the access pre-check can\'t run or depends on what only AWS sees'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l refresh -d 'Ignore the cached listing: the picker waits for a fresh one'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -a "list" -d 'List the running tasks\' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent\'s status. A table on a terminal, a JSON array otherwise (or with --json)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -a "check" -d 'Check, without running anything, whether you may run a command in TASK\'s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -a "doctor" -d 'Find why TASK\'s container can\'t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster\'s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -a "forward" -d 'Forward local ports to TASK\'s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and not __fish_seen_subcommand_from list check doctor forward help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l cluster -d 'Only this cluster (name or ARN; repeat for several). Default: every cluster' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l service -d 'Only the tasks of this service' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l container -d 'Only containers of this name (the one to open in a task of several)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -s t -l tag -d 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l json -d 'Write a JSON array (the default when stdout is not a terminal)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l cluster -d 'Only this cluster (name or ARN; repeat for several). Default: every cluster' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l service -d 'Only the tasks of this service' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l container -d 'Only containers of this name (the one to open in a task of several)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -s t -l tag -d 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l json -d 'Write the result as JSON'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l cluster -d 'Only this cluster (name or ARN; repeat for several). Default: every cluster' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l service -d 'Only the tasks of this service' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l container -d 'Only containers of this name (the one to open in a task of several)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -s t -l tag -d 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l json -d 'Write the result as JSON'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l cluster -d 'Only this cluster (name or ARN; repeat for several). Default: every cluster' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l service -d 'Only the tasks of this service' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l container -d 'Only containers of this name (the one to open in a task of several)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -s t -l tag -d 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l to -d 'Forward to this host (name or IP, as the container resolves it) instead of the container, for the mappings that name no host' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l keep-alive -d 'Keep idle tunnels from Session Manager\'s idle timeout: every DURATION, open and close a connection through each. E.g. 5m (forward-keep-alive)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l reason -d 'Why you are connecting (recorded by Session Manager, up to 256 characters)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l no-reconnect -d 'End when a tunnel\'s session ends, instead of opening it again (forward-reconnect = false in the config)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l dry-run -d 'Resolve the container, pre-check, and print the requests; start nothing'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l no-check -d 'Skip the access pre-check (IAM policy simulation) before StartSession'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l strict -d 'Refuse to go on when the access pre-check can\'t run or depends on what only AWS sees'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from forward" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the running tasks\' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent\'s status. A table on a terminal, a JSON array otherwise (or with --json)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check, without running anything, whether you may run a command in TASK\'s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from help" -f -a "doctor" -d 'Find why TASK\'s container can\'t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster\'s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from help" -f -a "forward" -d 'Forward local ports to TASK\'s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ecs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -s h -l help -d 'Print help'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -f -a "eval" -d 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -f -a "lint" -d 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -f -a "fix" -d 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and not __fish_seen_subcommand_from eval lint fix help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l policy -d 'An identity-based policy document (repeat for several). Without one, nothing allows the request: the answer is implicitDeny, as IAM\'s would be' -r -F
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l boundary -d 'A permissions boundary: the request must be allowed by it too' -r -F
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l action -d 'The action, e.g. ssm:StartSession' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l resource -d 'The resource ARN, e.g. arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l principal -d 'The caller\'s ARN: sets aws:PrincipalArn, aws:PrincipalAccount and, for users, aws:username' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l context -d 'A request context value, e.g. aws:ResourceTag/Env=dev (repeat a key for several values)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l json -d 'Write the result as JSON'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from eval" -s h -l help -d 'Print help'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -l json -d 'Write the findings as JSON'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from fix" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from fix" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from fix" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from fix" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from fix" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from fix" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from fix" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from fix" -s h -l help -d 'Print help'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "eval" -d 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "fix" -d 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l document -d 'The Session Manager document to start (default: the account\'s shell document)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l parameters -d 'The document\'s parameters, as a JSON object of string lists' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l reason -d 'Why you are connecting (recorded by Session Manager, up to 256 characters)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l wait -d 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l dry-run -d 'Resolve the target and print the request and plugin command; start nothing'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l no-check -d 'Skip the access pre-check (IAM policy simulation) before StartSession'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l strict -d 'Refuse to connect when the access pre-check can\'t run'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l refresh -d 'Ignore the cached listing: the picker waits for a fresh one'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l start -d 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l to -d 'Forward to this host (name or IP, as the instance resolves it) instead of the instance, for the mappings that name no host' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l keep-alive -d 'Keep idle tunnels from Session Manager\'s idle timeout: every DURATION, open and close a connection through each (the remote port sees it). E.g. 5m (forward-keep-alive)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l reason -d 'Why you are connecting (recorded by Session Manager, up to 256 characters)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l wait -d 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l no-reconnect -d 'End when a tunnel\'s session ends, instead of opening it again (as the AWS CLI does; forward-reconnect = false in the config)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l dry-run -d 'Resolve the target and print the request and plugin command; start nothing'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l no-check -d 'Skip the access pre-check (IAM policy simulation) before StartSession'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l strict -d 'Refuse to connect when the access pre-check can\'t run'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l refresh -d 'Ignore the cached listing: the picker waits for a fresh one'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l start -d 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand forward" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -s t -l tag -d 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l os-user -d 'The OS user the key is pushed for (ssh\'s %r; default ec2-user)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l public-key -d 'The public key to push (default: the first key ssh-agent holds, else the first of ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub)' -r -F
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l no-check -d 'Skip the access pre-check'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l send-key -d 'Push your public key to the instance first with EC2 Instance Connect (valid 60 s), so no key needs to be on the instance (`send-key = true` in the config does it always)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-proxy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -l no-check -d 'Write `ssh-proxy --no-check`: let AWS decide without the access pre-check'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -l send-key -d 'Write `ssh-proxy --send-key --os-user %r`: push your key with EC2 Instance Connect on every connection'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh-config" -s h -l help -d 'Print help'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -l no-check -d 'Skip the access pre-checks (StartSession and the key push)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand ssh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand completions" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand completions" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand completions" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand completions" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand completions" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand completions" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand completions" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -s h -l help -d 'Print help'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -f -a "path" -d 'Print the config file\'s path (whether or not it exists)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -f -a "show" -d 'Print each effective setting and where it came from (flag, environment, config, default)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and not __fish_seen_subcommand_from path show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from path" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from path" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from path" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from path" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`\'prod-*\'`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from show" -l region -d 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from show" -l endpoint-url -d 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from show" -s P -l preset -d 'Use the named preset from the config file (its profile, region, tags, document, columns)' -r
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to colour the output [env: NO_COLOR disables it]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from show" -l org -d 'Every account of your AWS Organization (or the config\'s `[org] accounts`), each through a role assumed with the profile\'s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show the AWS calls made, and the full AWS error behind a failure'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the config file\'s path (whether or not it exists)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print each effective setting and where it came from (flag, environment, config, default)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "list" -d 'List the instances you can connect to, with their SSM status'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "check" -d 'Check, without connecting, whether you may start a session on TARGET, and why not'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "run" -d 'Run a shell command on one instance or many (Run Command), with its output and exit status'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "doctor" -d 'Find why TARGET can\'t take a session, from the instance\'s side, and how to fix it'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "ecs" -d 'Open a shell in a running ECS container (ECS Exec), pre-checked; list, check, doctor'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "policy" -d 'Check IAM policies offline: evaluate a request, lint, fix the Session Manager mistake'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "connect" -d 'Start a shell session on an instance (the default command)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "forward" -d 'Forward local ports to ports on the instance, or on hosts it can reach; kept up until Ctrl-C'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "ssh-proxy" -d 'Carry an SSH connection over Session Manager: for ssh\'s ProxyCommand (AWS-StartSSHSession)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "ssh-config" -d 'Print a ~/.ssh/config block that sends SSH to instances through `ssmgo ssh-proxy`'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "ssh" -d 'SSH to an instance with a key made for this connection alone: no key on the instance'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "completions" -d 'Print the completion script for SHELL (the same as the files in completions/)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "config" -d 'Show where the config file is, or the effective settings and where each came from'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and not __fish_seen_subcommand_from list check run doctor ecs policy connect forward ssh-proxy ssh-config ssh completions config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from ecs" -f -a "list" -d 'List the running tasks\' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent\'s status. A table on a terminal, a JSON array otherwise (or with --json)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from ecs" -f -a "check" -d 'Check, without running anything, whether you may run a command in TASK\'s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from ecs" -f -a "doctor" -d 'Find why TASK\'s container can\'t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster\'s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from ecs" -f -a "forward" -d 'Forward local ports to TASK\'s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "eval" -d 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "lint" -d 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "fix" -d 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the config file\'s path (whether or not it exists)'
complete -c ssmgo -n "__fish_ssmgo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print each effective setting and where it came from (flag, environment, config, default)'
