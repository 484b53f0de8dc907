const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const apigw = require('aws-cdk-lib/aws-apigateway');
const s3 = require('aws-cdk-lib/aws-s3');
const cognito = require('aws-cdk-lib/aws-cognito');

class StorageStack extends cdk.NestedStack {
  constructor(scope, id, props) {
    super(scope, id, props);
    this.bucket = new s3.Bucket(this, 'PublicAssets', {
      publicReadAccess: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS,
    });
    this.pool = new cognito.UserPool(this, 'Users');
  }
}

class ItemsStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const storage = new StorageStack(this, 'Storage');
    const fn = new lambda.Function(this, 'ItemsFn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda'),
    });
    const api = new apigw.RestApi(this, 'ItemsApi');
    const items = api.root.addResource('items');
    items.addMethod('POST', new apigw.LambdaIntegration(fn));
    const auth = new apigw.CognitoUserPoolsAuthorizer(this, 'ItemsAuth', {
      cognitoUserPools: [storage.pool],
    });
    items.addMethod('GET', new apigw.LambdaIntegration(fn), {
      authorizer: auth, authorizationType: apigw.AuthorizationType.COGNITO,
    });
    const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  }
}

const app = new cdk.App();
new ItemsStack(app, 'ItemsStack');
app.synth();
