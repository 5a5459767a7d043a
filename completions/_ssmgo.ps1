
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ssmgo' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ssmgo'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ssmgo' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Write the man pages and completion scripts into DIR/man and DIR/completions (for packagers; the committed files are these), then exit')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--document', '--document', [CompletionResultType]::ParameterName, 'The Session Manager document to start (default: the account''s shell document)')
            [CompletionResult]::new('--parameters', '--parameters', [CompletionResultType]::ParameterName, 'The document''s parameters, as a JSON object of string lists')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why you are connecting (recorded by Session Manager, up to 256 characters)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Resolve the target and print the request and plugin command; start nothing')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the access pre-check (IAM policy simulation) before StartSession')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse to connect when the access pre-check can''t run')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore the cached listing: the picker waits for a fresh one')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the instances you can connect to, with their SSM status')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the instances you can connect to, with their SSM status')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check, without connecting, whether you may start a session on TARGET, and why not')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a shell command on one instance or many (Run Command), with its output and exit status')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find why TARGET can''t take a session, from the instance''s side, and how to fix it')
            [CompletionResult]::new('ecs', 'ecs', [CompletionResultType]::ParameterValue, 'Open a shell in a running ECS container (ECS Exec), pre-checked; list, check, doctor')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Check IAM policies offline: evaluate a request, lint, fix the Session Manager mistake')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Start a shell session on an instance (the default command)')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Forward local ports to ports on the instance, or on hosts it can reach; kept up until Ctrl-C')
            [CompletionResult]::new('ssh-proxy', 'ssh-proxy', [CompletionResultType]::ParameterValue, 'Carry an SSH connection over Session Manager: for ssh''s ProxyCommand (AWS-StartSSHSession)')
            [CompletionResult]::new('ssh-config', 'ssh-config', [CompletionResultType]::ParameterValue, 'Print a ~/.ssh/config block that sends SSH to instances through `ssmgo ssh-proxy`')
            [CompletionResult]::new('ssh', 'ssh', [CompletionResultType]::ParameterValue, 'SSH to an instance with a key made for this connection alone: no key on the instance')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for SHELL (the same as the files in completions/)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show where the config file is, or the effective settings and where each came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;list' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write a JSON array (the default when stdout is not a terminal); `--json=report` writes an object: the rows as `instances`, the accounts/regions that could not be listed as `left_out` (with why), and whether the listing is `complete`')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Also list stopped, starting and stopping instances (each with the reason it can''t be connected to, as the running ones that can''t take a session have)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list stopped, starting and stopping instances (each with the reason it can''t be connected to, as the running ones that can''t take a session have)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'A fresh listing: `list` always asks AWS (and refreshes the picker''s cache with what it finds); taken here because the picker takes it')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ls' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write a JSON array (the default when stdout is not a terminal); `--json=report` writes an object: the rows as `instances`, the accounts/regions that could not be listed as `left_out` (with why), and whether the listing is `complete`')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Also list stopped, starting and stopping instances (each with the reason it can''t be connected to, as the running ones that can''t take a session have)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list stopped, starting and stopping instances (each with the reason it can''t be connected to, as the running ones that can''t take a session have)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'A fresh listing: `list` always asks AWS (and refreshes the picker''s cache with what it finds); taken here because the picker takes it')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;check' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--document', '--document', [CompletionResultType]::ParameterName, 'The Session Manager document the session would use (default: SSM-SessionManagerRunShell)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write the result as JSON')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;run' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--max-concurrency', '--max-concurrency', [CompletionResultType]::ParameterName, 'How many instances run it at once: a count or a percentage of the targets (AWS''s MaxConcurrency; default 50, or run-max-concurrency in the config)')
            [CompletionResult]::new('--max-errors', '--max-errors', [CompletionResultType]::ParameterName, 'How many may fail before it is sent to no more instances: a count or a percentage (AWS''s MaxErrors; default 0, which stops after the first failure, or run-max-errors)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop the command on an instance after DURATION (default 1h; e.g. 30s, 10m)')
            [CompletionResult]::new('--output-s3', '--output-s3', [CompletionResultType]::ParameterName, 'Have SSM write the whole output to this S3 bucket (and key prefix), and read it back where SSM cut what it returns (24,000 characters of stdout, 8,000 of stderr)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write the results as JSON (instance, status, exit code, duration, output; with several accounts or regions, each one''s account and region); `--json=report` writes an object: the rows as `results`, the accounts/regions that could not be searched as `left_out`, and whether the run is `complete`')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every running instance the picker would show for the query TARGET (fuzzy, as typed in the picker), instead of one')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Print each instance''s output as one block under its name, instead of marking every line')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the access pre-check (ssm:SendCommand simulated per target)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;doctor' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--document', '--document', [CompletionResultType]::ParameterName, 'The Session Manager document the session would use (default: SSM-SessionManagerRunShell)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write the result as JSON')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ecs' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only this cluster (name or ARN; repeat for several). Default: every cluster')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only the tasks of this service')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Only containers of this name (the one to open in a task of several)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'The command to run in the container')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Resolve the container, pre-check, and print the request and plugin command; start nothing')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the access pre-check (IAM policy simulation) before ExecuteCommand')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse to go on when the access pre-check can''t run or depends on what only AWS sees')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore the cached listing: the picker waits for a fresh one')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the running tasks'' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent''s status. A table on a terminal, a JSON array otherwise (or with --json)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check, without running anything, whether you may run a command in TASK''s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find why TASK''s container can''t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster''s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Forward local ports to TASK''s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;ecs;list' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only this cluster (name or ARN; repeat for several). Default: every cluster')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only the tasks of this service')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Only containers of this name (the one to open in a task of several)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write a JSON array (the default when stdout is not a terminal)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ecs;check' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only this cluster (name or ARN; repeat for several). Default: every cluster')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only the tasks of this service')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Only containers of this name (the one to open in a task of several)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write the result as JSON')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ecs;doctor' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only this cluster (name or ARN; repeat for several). Default: every cluster')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only the tasks of this service')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Only containers of this name (the one to open in a task of several)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write the result as JSON')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ecs;forward' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only this cluster (name or ARN; repeat for several). Default: every cluster')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only the tasks of this service')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Only containers of this name (the one to open in a task of several)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tasks with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Forward to this host (name or IP, as the container resolves it) instead of the container, for the mappings that name no host')
            [CompletionResult]::new('--keep-alive', '--keep-alive', [CompletionResultType]::ParameterName, 'Keep idle tunnels from Session Manager''s idle timeout: every DURATION, open and close a connection through each. E.g. 5m (forward-keep-alive)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why you are connecting (recorded by Session Manager, up to 256 characters)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--no-reconnect', '--no-reconnect', [CompletionResultType]::ParameterName, 'End when a tunnel''s session ends, instead of opening it again (forward-reconnect = false in the config)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Resolve the container, pre-check, and print the requests; start nothing')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the access pre-check (IAM policy simulation) before StartSession')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse to go on when the access pre-check can''t run or depends on what only AWS sees')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ecs;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the running tasks'' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent''s status. A table on a terminal, a JSON array otherwise (or with --json)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check, without running anything, whether you may run a command in TASK''s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find why TASK''s container can''t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster''s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Forward local ports to TASK''s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;ecs;help;list' {
            break
        }
        'ssmgo;ecs;help;check' {
            break
        }
        'ssmgo;ecs;help;doctor' {
            break
        }
        'ssmgo;ecs;help;forward' {
            break
        }
        'ssmgo;ecs;help;help' {
            break
        }
        'ssmgo;policy' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;policy;eval' {
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'An identity-based policy document (repeat for several). Without one, nothing allows the request: the answer is implicitDeny, as IAM''s would be')
            [CompletionResult]::new('--boundary', '--boundary', [CompletionResultType]::ParameterName, 'A permissions boundary: the request must be allowed by it too')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'The action, e.g. ssm:StartSession')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'The resource ARN, e.g. arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'The caller''s ARN: sets aws:PrincipalArn, aws:PrincipalAccount and, for users, aws:username')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'A request context value, e.g. aws:ResourceTag/Env=dev (repeat a key for several values)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write the result as JSON')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssmgo;policy;lint' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write the findings as JSON')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssmgo;policy;fix' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssmgo;policy;help' {
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;policy;help;eval' {
            break
        }
        'ssmgo;policy;help;lint' {
            break
        }
        'ssmgo;policy;help;fix' {
            break
        }
        'ssmgo;policy;help;help' {
            break
        }
        'ssmgo;connect' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--document', '--document', [CompletionResultType]::ParameterName, 'The Session Manager document to start (default: the account''s shell document)')
            [CompletionResult]::new('--parameters', '--parameters', [CompletionResultType]::ParameterName, 'The document''s parameters, as a JSON object of string lists')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why you are connecting (recorded by Session Manager, up to 256 characters)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Resolve the target and print the request and plugin command; start nothing')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the access pre-check (IAM policy simulation) before StartSession')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse to connect when the access pre-check can''t run')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore the cached listing: the picker waits for a fresh one')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;forward' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Forward to this host (name or IP, as the instance resolves it) instead of the instance, for the mappings that name no host')
            [CompletionResult]::new('--keep-alive', '--keep-alive', [CompletionResultType]::ParameterName, 'Keep idle tunnels from Session Manager''s idle timeout: every DURATION, open and close a connection through each (the remote port sees it). E.g. 5m (forward-keep-alive)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why you are connecting (recorded by Session Manager, up to 256 characters)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for an instance that is starting, or whose SSM agent is not Online yet, up to DURATION (default 5m; e.g. 90s, 10m)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--no-reconnect', '--no-reconnect', [CompletionResultType]::ParameterName, 'End when a tunnel''s session ends, instead of opening it again (as the AWS CLI does; forward-reconnect = false in the config)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Resolve the target and print the request and plugin command; start nothing')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the access pre-check (IAM policy simulation) before StartSession')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse to connect when the access pre-check can''t run')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore the cached listing: the picker waits for a fresh one')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait until it is running and its SSM agent Online')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ssh-proxy' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--os-user', '--os-user', [CompletionResultType]::ParameterName, 'The OS user the key is pushed for (ssh''s %r; default ec2-user)')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'The public key to push (default: the first key ssh-agent holds, else the first of ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the access pre-check')
            [CompletionResult]::new('--send-key', '--send-key', [CompletionResultType]::ParameterName, 'Push your public key to the instance first with EC2 Instance Connect (valid 60 s), so no key needs to be on the instance (`send-key = true` in the config does it always)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ssh-config' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Write `ssh-proxy --no-check`: let AWS decide without the access pre-check')
            [CompletionResult]::new('--send-key', '--send-key', [CompletionResultType]::ParameterName, 'Write `ssh-proxy --send-key --os-user %r`: push your key with EC2 Instance Connect on every connection')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssmgo;ssh' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the access pre-checks (StartSession and the key push)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;config' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (whether or not it exists)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print each effective setting and where it came from (flag, environment, config, default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;config;path' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssmgo;config;show' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several, comma-separated, or globs (`''prod-*''`: every profile of those files it matches) are queried at once, by `list`, the picker, `run` and the lookup of a TARGET')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once, as several profiles are')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Use the named preset from the config file (its profile, region, tags, document, columns)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [env: NO_COLOR disables it]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Every account of your AWS Organization (or the config''s `[org] accounts`), each through a role assumed with the profile''s credentials (`[org] role`, by default OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`, `ssh`, and the ProxyCommand `ssh-config` writes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the AWS calls made, and the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssmgo;config;help' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (whether or not it exists)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print each effective setting and where it came from (flag, environment, config, default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;config;help;path' {
            break
        }
        'ssmgo;config;help;show' {
            break
        }
        'ssmgo;config;help;help' {
            break
        }
        'ssmgo;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the instances you can connect to, with their SSM status')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check, without connecting, whether you may start a session on TARGET, and why not')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a shell command on one instance or many (Run Command), with its output and exit status')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find why TARGET can''t take a session, from the instance''s side, and how to fix it')
            [CompletionResult]::new('ecs', 'ecs', [CompletionResultType]::ParameterValue, 'Open a shell in a running ECS container (ECS Exec), pre-checked; list, check, doctor')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Check IAM policies offline: evaluate a request, lint, fix the Session Manager mistake')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Start a shell session on an instance (the default command)')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Forward local ports to ports on the instance, or on hosts it can reach; kept up until Ctrl-C')
            [CompletionResult]::new('ssh-proxy', 'ssh-proxy', [CompletionResultType]::ParameterValue, 'Carry an SSH connection over Session Manager: for ssh''s ProxyCommand (AWS-StartSSHSession)')
            [CompletionResult]::new('ssh-config', 'ssh-config', [CompletionResultType]::ParameterValue, 'Print a ~/.ssh/config block that sends SSH to instances through `ssmgo ssh-proxy`')
            [CompletionResult]::new('ssh', 'ssh', [CompletionResultType]::ParameterValue, 'SSH to an instance with a key made for this connection alone: no key on the instance')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for SHELL (the same as the files in completions/)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show where the config file is, or the effective settings and where each came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;help;list' {
            break
        }
        'ssmgo;help;check' {
            break
        }
        'ssmgo;help;run' {
            break
        }
        'ssmgo;help;doctor' {
            break
        }
        'ssmgo;help;ecs' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the running tasks'' containers: cluster, service, task, container, launch type, platform version, whether exec is enabled and the agent''s status. A table on a terminal, a JSON array otherwise (or with --json)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check, without running anything, whether you may run a command in TASK''s container. Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find why TASK''s container can''t take an ECS Exec session: exec enabled, the platform version, the root file system, the agent, the task role, the cluster''s configuration, the network path to ssmmessages. Exit status: 0 no problem found, 6 problems found')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Forward local ports to TASK''s container, or through it to a host it reaches, as `ssmgo forward` does for an instance: ssm:StartSession pre-checked on the document and the task, each tunnel kept up until Ctrl-C')
            break
        }
        'ssmgo;help;ecs;list' {
            break
        }
        'ssmgo;help;ecs;check' {
            break
        }
        'ssmgo;help;ecs;doctor' {
            break
        }
        'ssmgo;help;ecs;forward' {
            break
        }
        'ssmgo;help;policy' {
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Decide a request the way IAM would, and say which statements decided it and why others nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Find mistakes with a stable code, a severity, a position and a one-line fix. Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Print the policy with the StartSession document/tag-condition mistake fixed (on stdout), and a before/after table proving the fix (on stderr)')
            break
        }
        'ssmgo;help;policy;eval' {
            break
        }
        'ssmgo;help;policy;lint' {
            break
        }
        'ssmgo;help;policy;fix' {
            break
        }
        'ssmgo;help;connect' {
            break
        }
        'ssmgo;help;forward' {
            break
        }
        'ssmgo;help;ssh-proxy' {
            break
        }
        'ssmgo;help;ssh-config' {
            break
        }
        'ssmgo;help;ssh' {
            break
        }
        'ssmgo;help;completions' {
            break
        }
        'ssmgo;help;config' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (whether or not it exists)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print each effective setting and where it came from (flag, environment, config, default)')
            break
        }
        'ssmgo;help;config;path' {
            break
        }
        'ssmgo;help;config;show' {
            break
        }
        'ssmgo;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
