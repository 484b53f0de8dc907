"""Edge kinds of the resource graph (``Edge.*``), each "source -> target".

syntactic (from -> the resource or parameter it mentions, ``attr`` = the attribute):
  ``ref``, ``getatt``, ``sub``; ``depends_on``.
semantic (computed when the graph is built):
  ``implicit``        function / state machine -> the implicit SAM API its event declares
  ``event_source``    function -> the API / bucket / queue / stream / table of one of its events
                      (SAM ``Events``; ``AWS::Lambda::EventSourceMapping`` ``EventSourceArn``)
  ``runs_as``         function / state machine -> the role it runs as (``Role``/``RoleArn`` by Ref,
                      GetAtt or literal ARN; SAM's generated ``<Id>Role`` when no Role is given)
  ``attached_policy`` policy -> role / user / group it applies to (``Roles``/``Users``/``Groups``,
                      a principal's ``ManagedPolicyArns``, SAM ``Policies: [!Ref P]``, the
                      ``RoleName``/``UserName``/``GroupName`` of RolePolicy/UserPolicy/GroupPolicy)
  ``member_of``       user -> group
  ``applies_to``      bucket policy -> bucket
  ``origin``          distribution -> the bucket one of its origins serves (attrs ``origin``,
                      ``endpoint`` rest|website, ``website``, ``oac``, ``oai``, ``mechanism``)
  ``authorizes``      authorizer (resource, or the function / user pool acting as one) -> API
  ``user_pool``       authorizer (or the API declaring it, attr ``authorizer``) -> user pool
  ``authorizer_function`` authorizer (or the API declaring it) -> its Lambda function
  ``invokes``         Lambda permission / function URL / event source mapping / API integration
                      or method / API with a function event -> function
route edges (route -> API / authorizer / function) come with the route table (phase 2).
"""


class Edge:
    REF = "ref"
    GETATT = "getatt"
    SUB = "sub"
    DEPENDS_ON = "depends_on"
    IMPLICIT = "implicit"
    EVENT_SOURCE = "event_source"
    RUNS_AS = "runs_as"
    ATTACHED_POLICY = "attached_policy"
    MEMBER_OF = "member_of"
    APPLIES_TO = "applies_to"
    ORIGIN = "origin"
    AUTHORIZES = "authorizes"
    USER_POOL = "user_pool"
    AUTHORIZER_FUNCTION = "authorizer_function"
    INVOKES = "invokes"
    ASSUMES = "assumes"     # reserved: role -> the service principal's resource (not built yet)

    SYNTACTIC = (REF, GETATT, SUB)
