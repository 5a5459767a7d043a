
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
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]'
            cand --region 'The AWS region to use'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints'
            cand -v 'Show the full AWS error behind a failure'
            cand --verbose 'Show the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the instances you can connect to, with their SSM status'
            cand ls 'List the instances you can connect to, with their SSM status'
            cand connect 'Start a shell session on an instance (the default command)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;list'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --page-size 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]'
            cand --region 'The AWS region to use'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints'
            cand -a 'Also list stopped and unmanaged instances, with the reason they can''t be connected to'
            cand --all 'Also list stopped and unmanaged instances, with the reason they can''t be connected to'
            cand --json 'Write a JSON array (the default when stdout is not a terminal)'
            cand -v 'Show the full AWS error behind a failure'
            cand --verbose 'Show the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;ls'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --page-size 'Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]'
            cand --region 'The AWS region to use'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints'
            cand -a 'Also list stopped and unmanaged instances, with the reason they can''t be connected to'
            cand --all 'Also list stopped and unmanaged instances, with the reason they can''t be connected to'
            cand --json 'Write a JSON array (the default when stdout is not a terminal)'
            cand -v 'Show the full AWS error behind a failure'
            cand --verbose 'Show the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;connect'= {
            cand -t 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --tag 'Only instances with this tag: KEY=VALUE or KEY alone (tag present)'
            cand --document 'The Session Manager document to start (default: the account''s shell document)'
            cand --parameters 'The document''s parameters, as a JSON object of string lists'
            cand --reason 'Why you are connecting (recorded by Session Manager, up to 256 characters)'
            cand --profile 'Use this profile from the AWS config and credentials files [env: AWS_PROFILE]'
            cand --region 'The AWS region to use'
            cand --endpoint-url 'Send AWS requests to this URL instead of the default endpoints'
            cand --dry-run 'Resolve the target and print the request and plugin command; start nothing'
            cand -v 'Show the full AWS error behind a failure'
            cand --verbose 'Show the full AWS error behind a failure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssmgo;help'= {
            cand list 'List the instances you can connect to, with their SSM status'
            cand connect 'Start a shell session on an instance (the default command)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssmgo;help;list'= {
        }
        &'ssmgo;help;connect'= {
        }
        &'ssmgo;help;help'= {
        }
    ]
    $completions[$command]
}
