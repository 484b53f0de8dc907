"""BKT003: two buckets that can get the same name, in one template or across a run."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule

from ._shared import show, when

_MAX_RELATED = 10   # within a template: others located in `related`
_MAX_OTHERS = 5     # across templates: others named in the message and `related`


class DuplicateBucketName(Rule):
    """## What it does
    Flags two `AWS::S3::Bucket` resources whose `BucketName` can evaluate to the same string:
    within one template (both are flagged, with the condition scenario in which they meet),
    and across the templates of one run, such as a directory scan (each is flagged, naming the
    other file). Parameters resolve through their `Default` and `AllowedValues`; within one
    template the same pseudo parameter or parameter is the same value.

    Each bucket is reported once per group of buckets it collides with, not once per pair:
    within a template the message names the first three others (`and N more`) and the
    finding locates the first ten; across templates it names the first five, with their
    files and lines, and says how many stacks collide. A thousand buckets or templates with
    one name therefore give a thousand findings, not a million.

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
    are not compared, and a bucket that can take several names is reported for the first
    name (in sorted order) it shares with another file.

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
        for g in ctx.bucket_names.collision_groups(limit=_MAX_RELATED):
            others = [b.logical_id for b, _v in g.others]
            related = []
            for b, ov in g.others:
                span, _ = ctx.doc.source.locate(ov.path)
                related.append({"file": ctx.file, "line": span.line, "column": span.column,
                                "resource": b.logical_id,
                                "message": f"`{b.logical_id}` is named `{show(g.value)}` here"})
            other = f"`{others[0]}`"
            if g.count > 1:
                shown = ", ".join(f"`{o}`" for o in others[:3])
                other = shown + (f" and {g.count - 3} more" if g.count > 3 else "")
            yield self.report(ctx, g.value.path, resource=g.bucket.logical_id,
                              scenario=g.scenario or None, bucket=g.bucket.logical_id,
                              other=other, both="both" if g.count == 1 else "all",
                              name=show(g.value), when=when(g.scenario), related=related)

    # ------------------------------------------------------------ across templates
    def collect(self, ctx):
        return ctx.bucket_names.facts()

    def check_project(self, facts):
        """One finding per bucket: the first name (in sorted order) it shares with buckets of
        other files, naming the first ``_MAX_OTHERS`` of them. Linear in the buckets: the
        entries of a name are sorted by file, so the other files' entries are the list
        without one contiguous run."""
        by_name: dict[str, dict[tuple, None]] = {}
        for file, rows in facts:
            for row in rows or ():
                for name, params in row[6]:
                    by_name.setdefault(name, {})[(file, row[0], row[1], row[2], tuple(params),
                                                  row)] = None
        reported: set = set()
        out = []
        for name in sorted(by_name):
            entries = sorted(by_name[name], key=lambda e: e[:5])
            runs: dict[str, tuple[int, int]] = {}     # file -> [start, end) in ``entries``
            for i, e in enumerate(entries):
                start, _ = runs.get(e[0], (i, i))
                runs[e[0]] = (start, i + 1)
            if len(runs) < 2:
                continue
            where = "in the same account and region" if "{AWS::" in name else "anywhere"
            for file, lid, line, col, params, row in entries:
                if (file, lid) in reported:
                    continue
                reported.add((file, lid))
                start, end = runs[file]
                count = len(entries) - (end - start)
                shown = (entries[:start] + entries[end:end + _MAX_OTHERS])[:_MAX_OTHERS]
                cond = " with these parameter values" if params or any(o[4] for o in shown) \
                    else ""
                items = [f"`{o[1]}` in `{o[0]}` (line {o[2]}{_via(o[4], ', ', '')})"
                         for o in shown]
                if count > len(shown):
                    items.append(f"{count - len(shown)} more")
                listed = items[0] if len(items) == 1 else \
                    ", ".join(items[:-1]) + " and " + items[-1]
                stacks = "the two stacks collide" if count == 1 else \
                    f"the {count + 1} stacks collide"
                msg = (f"`{lid}` can be named `{_show(name)}`{_via(params, ' (', ')')}, "
                       f"as can {listed}: {stacks} {where}{cond}")
                _lid, _l, _c, eline, ecol, path, _names = row
                out.append(self.report_at(
                    file, line, col, resource=lid, message=msg, path=path,
                    end_line=eline, end_column=ecol,
                    related=[{"file": o[0], "line": o[2], "column": o[3], "resource": o[1],
                              "message": f"`{o[1]}` is named `{_show(name)}` here"}
                             for o in shown]))
        return out


def _via(params: tuple, before: str, after: str) -> str:
    if not params:
        return ""
    return before + "from parameter " + ", ".join(f"`{p}`" for p in params) + after


def _show(text: str) -> str:
    return text.replace("{AWS::", "${AWS::")
