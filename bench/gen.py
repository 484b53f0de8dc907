"""Synthetic SAM/CloudFormation templates of N resources, with a realistic serverless mix.

Each "unit" of the template holds the shapes the rules care about: SAM functions with Api and
HttpApi events and ``Policies`` (policy templates, managed policy names, inline statements), an
explicit API with a Cognito authorizer, a Cognito user pool and client, a bucket with a bucket
policy, a CloudFront distribution with an origin access control, a DynamoDB table, an IAM role
and a managed policy. ``Globals`` sets function and API defaults. Units repeat (with numbered
logical ids) until the template has exactly N resources.

Deterministic: the same N always gives the same bytes.
"""

from __future__ import annotations

HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: slint benchmark template with {n} resources

Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  LogRetention:
    Type: Number
    Default: 14

Conditions:
  IsProd: !Equals [!Ref Stage, prod]

Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    MemorySize: 256
    Tracing: Active
    Environment:
      Variables:
        STAGE: !Ref Stage
  Api:
    TracingEnabled: true
    Auth:
      DefaultAuthorizer: AWS_IAM

Resources:
"""

# One unit: (logical id prefix, YAML body). ``{i}`` is the unit number.
_UNIT = [
    ("Table", """\
  Table{i}:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
        - AttributeName: sk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
        - AttributeName: sk
          KeyType: RANGE
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !If [IsProd, true, false]
"""),
    ("Bucket", """\
  Bucket{i}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${{AWS::StackName}}-assets-{i}-${{AWS::AccountId}}"
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      Tags:
        - Key: unit
          Value: "{i}"
"""),
    ("BucketPolicy", """\
  BucketPolicy{i}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket{i}
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Sid: AllowCloudFront
            Effect: Allow
            Principal:
              Service: cloudfront.amazonaws.com
            Action: s3:GetObject
            Resource: !Sub "${{Bucket{i}.Arn}}/*"
            Condition:
              StringEquals:
                AWS:SourceArn: !Sub "arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{Distribution{i}}}"
          - Sid: DenyInsecure
            Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource:
              - !GetAtt Bucket{i}.Arn
              - !Sub "${{Bucket{i}.Arn}}/*"
            Condition:
              Bool:
                aws:SecureTransport: false
"""),
    ("Oac", """\
  Oac{i}:
    Type: AWS::CloudFront::OriginAccessControl
    Properties:
      OriginAccessControlConfig:
        Name: !Sub "${{AWS::StackName}}-oac-{i}"
        OriginAccessControlOriginType: s3
        SigningBehavior: always
        SigningProtocol: sigv4
"""),
    ("Distribution", """\
  Distribution{i}:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultRootObject: index.html
        HttpVersion: http2
        Origins:
          - Id: s3origin
            DomainName: !GetAtt Bucket{i}.RegionalDomainName
            OriginAccessControlId: !GetAtt Oac{i}.Id
            S3OriginConfig:
              OriginAccessIdentity: ""
        DefaultCacheBehavior:
          TargetOriginId: s3origin
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
          Compress: true
        ViewerCertificate:
          CloudFrontDefaultCertificate: true
"""),
    ("UserPool", """\
  UserPool{i}:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: !Sub "${{AWS::StackName}}-users-{i}"
      AutoVerifiedAttributes: [email]
      UsernameAttributes: [email]
      MfaConfiguration: OPTIONAL
      EnabledMfas: [SOFTWARE_TOKEN_MFA]
      Policies:
        PasswordPolicy:
          MinimumLength: 12
          RequireLowercase: true
          RequireNumbers: true
          RequireSymbols: true
          RequireUppercase: true
"""),
    ("UserPoolClient", """\
  UserPoolClient{i}:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref UserPool{i}
      GenerateSecret: false
      ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
      PreventUserExistenceErrors: ENABLED
"""),
    ("Api", """\
  Api{i}:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      Auth:
        DefaultAuthorizer: Cognito{i}
        Authorizers:
          Cognito{i}:
            UserPoolArn: !GetAtt UserPool{i}.Arn
            Identity:
              Header: Authorization
      Cors:
        AllowOrigin: "'https://example.com'"
        AllowMethods: "'GET,POST'"
"""),
    ("ItemsFunction", """\
  ItemsFunction{i}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/items/
      Handler: app.handler
      Environment:
        Variables:
          TABLE: !Ref Table{i}
          BUCKET: !Ref Bucket{i}
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Table{i}
        - S3ReadPolicy:
            BucketName: !Ref Bucket{i}
        - AWSLambdaBasicExecutionRole
        - Statement:
            - Effect: Allow
              Action:
                - sqs:SendMessage
                - sqs:GetQueueUrl
              Resource: !Sub "arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:jobs-{i}"
      Events:
        List:
          Type: Api
          Properties:
            RestApiId: !Ref Api{i}
            Path: /items
            Method: get
        Create:
          Type: Api
          Properties:
            RestApiId: !Ref Api{i}
            Path: /items
            Method: post
        Health:
          Type: Api
          Properties:
            Path: /health{i}
            Method: get
            Auth:
              Authorizer: NONE
"""),
    ("HttpFunction", """\
  HttpFunction{i}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/http/
      Handler: app.http
      Role: !GetAtt Role{i}.Arn
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /h{i}/{{id}}
            Method: GET
"""),
    ("Role", """\
  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub "arn:${{AWS::Partition}}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
      Policies:
        - PolicyName: read-table
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:Query]
                Resource: !GetAtt Table{i}.Arn
"""),
    ("ManagedPolicy", """\
  ManagedPolicy{i}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role{i}]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action:
              - s3:GetObject
              - s3:PutObject
            Resource: !Sub "${{Bucket{i}.Arn}}/uploads/*"
          - Effect: Allow
            Action: logs:*
            Resource: "*"
"""),
]

# dependencies first, so that a partial last unit refers to nothing missing
_ORDER = ["Table", "Bucket", "Oac", "Distribution", "BucketPolicy", "UserPool", "UserPoolClient",
          "Role", "ManagedPolicy", "Api", "ItemsFunction", "HttpFunction"]
UNIT = sorted(_UNIT, key=lambda u: _ORDER.index(u[0]))

OUTPUTS = """
Outputs:
  ApiUrl:
    Value: !Sub "https://${{Api0}}.execute-api.${{AWS::Region}}.amazonaws.com/${{Stage}}"
  Distribution:
    Value: !GetAtt Distribution0.DomainName
"""


def template(n: int) -> str:
    """A template with exactly ``n`` resources (n >= 1)."""
    parts = [HEADER.format(n=n)]
    count = 0
    i = 0
    while count < n:
        for _prefix, body in UNIT:
            if count >= n:
                break
            parts.append(body.format(i=i))
            count += 1
        i += 1
    if n >= len(UNIT):
        parts.append(OUTPUTS.format())
    return "".join(parts)


if __name__ == "__main__":  # pragma: no cover
    import sys
    sys.stdout.write(template(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
