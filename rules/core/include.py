"""Includes slint refused to read. The engine emits these while loading; ``check`` adds nothing."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule


class IncludeRefused(Rule):
    """## What it does
    Reports a local file that the template includes (`AWS::Include`, a local `DefinitionUri` or
    `BodyS3Location`) which slint did not read: it is outside the project root (the nearest
    folder above the template holding `.git`, `samconfig.toml`, `samconfig.yaml` or
    `pyproject.toml`), a symbolic link out of it, missing, not a regular file, over the size
    limit, part of an include cycle, nested too deep, or does not parse.

    ## Why is this bad?
    What the included file holds (the routes of an API and their authorizers) decides who can
    call what. A file slint cannot read is a part of the deployment nobody checked; a location
    that leaves the project (`../../../etc/passwd`) is never a file `sam deploy` should upload.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DefinitionBody:
            Fn::Transform:
              Name: AWS::Include
              Parameters:
                Location: ../../../../../../../../../../etc/passwd
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          DefinitionBody:
            Fn::Transform:
              Name: AWS::Include
              Parameters:
                Location: s3://my-bucket/api.yaml
    ```

    ## Known limitations
    Files in S3 or on the web are never fetched: they are listed as not evaluated (the JSON
    output's `files[].unknowns`), not reported here. A template checked as text (an editor
    buffer without a file) reads its includes relative to the working directory.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/create-reusable-transform-function-snippets-and-add-to-your-template-with-aws-include-transform.html
    - https://docs.aws.amazon.com/cli/latest/reference/cloudformation/package.html
    """
    code = "INC001"
    name = "include-refused"
    category = Category.SYNTAX
    severity = Severity.MEDIUM
    message = "{detail}"
    fix = "Include a file inside the project, by a relative path, with no cycle"

    def check(self, ctx):
        return ()
