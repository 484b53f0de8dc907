"""Parse and structure problems. The engine emits these; ``check`` has nothing to add."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule


class ParseError(Rule):
    """## What it does
    Reports a file that cannot be read as a template: a YAML or JSON syntax error, invalid UTF-8,
    an unsupported YAML tag (such as `!!python/object`, which slint never constructs), nesting or
    alias expansion past slint's limits, or a file over the size limit.

    ## Why is this bad?
    CloudFormation rejects the file, and no other check can run on it. A template that hides
    part of itself from linters (an alias bomb, a custom tag) is suspect in a pipeline.

    ## Example
    ```yaml
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
        Properties: {BucketName: [unclosed
    ```

    ## Use instead
    ```yaml
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
    ```

    ## Known limitations
    A parse error stops analysis of that file; the finding points at the line where the parser
    gave up, which can be after the real mistake (an unclosed quote or bracket).

    ## References
    - cfn-lint E0000
    """
    code = "SYN001"
    name = "parse-error"
    category = Category.SYNTAX
    severity = Severity.HIGH
    message = "{detail}"
    fix = "Fix the syntax so that the file parses as YAML or JSON"

    def check(self, ctx):
        return ()


class DuplicateKey(Rule):
    """## What it does
    Reports a mapping key written twice in the same mapping.

    ## Why is this bad?
    YAML leaves duplicate keys undefined and CloudFormation's behaviour with them is undefined:
    one of the two values is silently dropped, often the one the author meant (a second `Name`,
    a second `Handler`). slint analyses the last one, as most YAML parsers keep it.

    ## Example
    ```yaml
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Handler: app.handler
          Handler: app.other
    ```

    ## Use instead
    ```yaml
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Handler: app.handler
    ```

    ## Known limitations
    None known.

    ## References
    - cfn-lint E0000 (duplicate found)
    """
    code = "SYN002"
    name = "duplicate-key"
    category = Category.SYNTAX
    severity = Severity.MEDIUM
    message = "{detail}"
    fix = "Keep one of the two keys"

    def check(self, ctx):
        return ()


class InvalidTemplateStructure(Rule):
    """## What it does
    Reports template structure CloudFormation rejects and slint cannot analyse: `Resources`
    that is not a mapping, a resource that is not a mapping or has no `Type`, a `Fn::ForEach`
    loop without `Transform: AWS::LanguageExtensions`, a malformed loop, or a loop that
    generates a logical id twice.

    ## Why is this bad?
    The deployment fails, and the affected resource is invisible to every other check.

    ## Example
    ```yaml
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Bucket:
        Properties:
          BucketName: logs
    ```

    ## Use instead
    ```yaml
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
    ```

    ## Known limitations
    slint is not a schema validator: run `slint check --with-cfn-lint` for full validation of
    resource properties.

    ## References
    - cfn-lint E3001
    """
    code = "SYN003"
    name = "invalid-template-structure"
    category = Category.SYNTAX
    severity = Severity.MEDIUM
    message = "{detail}"
    fix = "Give every resource a mapping body with a `Type`"

    def check(self, ctx):
        return ()
