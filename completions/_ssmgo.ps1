
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
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the instances you can connect to, with their SSM status')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the instances you can connect to, with their SSM status')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Start a shell session on an instance (the default command)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;list' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Also list stopped and unmanaged instances, with the reason they can''t be connected to')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list stopped and unmanaged instances, with the reason they can''t be connected to')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write a JSON array (the default when stdout is not a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;ls' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Also list stopped and unmanaged instances, with the reason they can''t be connected to')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list stopped and unmanaged instances, with the reason they can''t be connected to')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write a JSON array (the default when stdout is not a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;connect' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)')
            [CompletionResult]::new('--document', '--document', [CompletionResultType]::ParameterName, 'The Session Manager document to start (default: the account''s shell document)')
            [CompletionResult]::new('--parameters', '--parameters', [CompletionResultType]::ParameterName, 'The document''s parameters, as a JSON object of string lists')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why you are connecting (recorded by Session Manager, up to 256 characters)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region to use')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS requests to this URL instead of the default endpoints')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Resolve the target and print the request and plugin command; start nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the full AWS error behind a failure')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the full AWS error behind a failure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssmgo;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the instances you can connect to, with their SSM status')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Start a shell session on an instance (the default command)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssmgo;help;list' {
            break
        }
        'ssmgo;help;connect' {
            break
        }
        'ssmgo;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
