"""BKT003: two buckets that can get the same name, in one template or across a run."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule

from ._shared import show, when

_MAX_RELATED = 10


class DuplicateBucketName(Rule):
    """## What it does
    Flags two `AWS::S3::Bucket` resources whose `BucketName` can evaluate to the same string:
    within one template (both are flagged, with the condition scenario in which they meet),
    and across the templates of one run, such as a directory scan (each is flagged, naming the
    other file). Parameters resolve through their `Default` and `AllowedValues`; within one
    template the same pseudo parameter or parameter is the same value.

    ## Why is this bad?
    A bucket name exists once per partition. In one template the second bucket fails to create
    and the stack rolls back. Across templates, the second stack to deploy fails, in the same
    account and region when the names use `${AWS::AccountId}` / `${AWS::Region}`, anywhere when
    they are fixed.

    ## Example
    ```yaml
    Resources:
      Raw:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub data-${AWS::AccountId}
      Processed:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub data-${AWS::AccountId}
    ```

    ## Use instead
    ```yaml
    Resources:
      Raw:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub data-raw-${AWS::AccountId}
      Processed:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub data-processed-${AWS::AccountId}
    ```

    ## Known limitations
    Names are compared as text. Within one template, names with a part slint cannot pin
    (`!Select` over an unknown list, a mapping with an unknown key) are not compared; across
    templates, only fixed parts, parameter defaults, the account and the region are, since
    stack names and stack ids differ between stacks. Conditions are solved over parameter
    values (`Fn::Equals` on parameters, pseudo parameters and literals, with `Fn::Not`,
    `Fn::And`, `Fn::Or`, `Condition`): buckets whose conditions cannot hold together are not
    reported; conditions slint cannot decide count as possible. Across templates, conditions
    are not compared.

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html
    - checkov, cfn_nag, cfn-lint: no equivalent check
    """
    code = "BKT003"
    name = "duplicate-bucket-name"
    category = Category.BUCKETNAME
    severity = Severity.HIGH
    message = "`{bucket}` and {other} can {both} be named `{name}`{when}"
    fix = "Give each bucket a distinct name, or leave `BucketName` out"

    def check(self, ctx):
        groups: dict[tuple, list] = {}
        for c in ctx.bucket_names.collisions():
            key = (c.bucket.logical_id, c.value.path, c.scenario)
            groups.setdefault(key, []).append(c)
        for (lid, path, scen), cs in groups.items():
            others = list(dict.fromkeys(c.other.logical_id for c in cs))
            first = {}
            for c in cs:
                first.setdefault(c.other.logical_id, c)
            related = []
            for olid in others[:_MAX_RELATED]:
                span, _ = ctx.doc.source.locate(first[olid].other_value.path)
                related.append({"file": ctx.file, "line": span.line, "column": span.column,
                                "resource": olid,
                                "message": f"`{olid}` is named `{show(first[olid].value)}` here"})
            other = f"`{others[0]}`"
            if len(others) > 1:
                shown = ", ".join(f"`{o}`" for o in others[:3])
                other = shown + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            yield self.report(ctx, path, resource=lid, scenario=scen or None, bucket=lid,
                              other=other, both="both" if len(others) == 1 else "all",
                              name=show(cs[0].value), when=when(scen),
                              related=related)

    # ------------------------------------------------------------ across templates
    def collect(self, ctx):
        return ctx.bucket_names.facts()

    def check_project(self, facts):
        by_name: dict[str, list[tuple[str, tuple, tuple]]] = {}
        for file, rows in facts:
            for row in rows or ():
                for name, params in row[6]:
                    by_name.setdefault(name, []).append((file, row, tuple(params)))
        reported = set()
        out = []
        for name in sorted(by_name):
            entries = by_name[name]
            if len({f for f, _, _ in entries}) < 2:
                continue
            for file, row, params in entries:
                lid, line, col, eline, ecol, path, _ = row
                others = sorted({(f, r[0], r[1], r[2], p) for f, r, p in entries if f != file})
                for ofile, olid, oline, ocol, oparams in others:
                    key = (file, lid, ofile, olid)
                    if key in reported:
                        continue
                    reported.add(key)
                    where = ("in the same account and region" if "{AWS::" in name
                             else "anywhere")
                    cond = " with these parameter values" if params or oparams else ""
                    msg = (f"`{lid}` can be named `{_show(name)}`{_via(params, ' (', ')')}, "
                           f"as can `{olid}` in `{ofile}` (line {oline}{_via(oparams, ', ', '')})"
                           f": the two stacks collide {where}{cond}")
                    out.append(self.report_at(
                        file, line, col, resource=lid, message=msg, path=path,
                        end_line=eline, end_column=ecol,
                        related=[{"file": ofile, "line": oline, "column": ocol,
                                  "resource": olid,
                                  "message": f"`{olid}` is named `{_show(name)}` here"}]))
        return out


def _via(params: tuple, before: str, after: str) -> str:
    if not params:
        return ""
    return before + "from parameter " + ", ".join(f"`{p}`" for p in params) + after


def _show(text: str) -> str:
    return text.replace("{AWS::", "${AWS::")
