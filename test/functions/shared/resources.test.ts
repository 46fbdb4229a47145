import { asffResourceType, resourceArn, resourceLabel, serviceConsoleUrl } from '../../../functions/shared/resources.js';
import { RESOURCE_TYPES } from '../../../rules/resource-types.js';

describe('resource naming in findings and alerts', () => {
  test('a declared type is named as rules/resource-types.ts says', () => {
    expect(resourceLabel('AWS::EC2::Volume')).toBe(RESOURCE_TYPES['AWS::EC2::Volume'].label);
    expect(asffResourceType('AWS::EFS::FileSystem')).toBe('Other');
    expect(resourceArn({ resourceType: 'AWS::EC2::Volume', resourceId: 'vol-1', accountId: '111122223333', region: 'us-east-1' })).toBe(
      'arn:aws:ec2:us-east-1:111122223333:volume/vol-1',
    );
  });

  test('the new types: a security group by its id, a listener by the ARN Config gives as its id, the console where one is known', () => {
    const group = { resourceType: 'AWS::EC2::SecurityGroup', resourceId: 'sg-0a11e4c5d6e7f8203', accountId: '111122223333', region: 'us-east-1' };
    expect(resourceLabel(group.resourceType)).toBe('security group');
    expect(asffResourceType(group.resourceType)).toBe('AwsEc2SecurityGroup');
    expect(resourceArn(group)).toBe('arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a11e4c5d6e7f8203');
    expect(serviceConsoleUrl(group, 'us-east-1')).toMatch(/ec2\/home\?region=us-east-1#SecurityGroup:groupId=sg-0a11e4c5d6e7f8203$/);
    const listener = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/pacs-viewer/5a6b7c8d9e0f1a2b/0a1b2c3d4e5f6a03';
    expect(resourceArn({ resourceType: 'AWS::ElasticLoadBalancingV2::Listener', resourceId: listener, accountId: '111122223333', region: 'us-east-1' })).toBe(
      listener,
    );
    expect(resourceArn({ resourceType: 'AWS::ElasticLoadBalancing::LoadBalancer', resourceId: 'CLB1', accountId: '111122223333', region: 'us-east-1' })).toBe(
      'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/CLB1',
    );
  });

  test('a type nobody declared (a malformed or foreign event) shows as its own Config type, never as a generic "resource"', () => {
    const ref = { resourceType: 'AWS::EC2::NetworkInterface', resourceId: 'eni-1', accountId: '111122223333', region: 'us-east-1' };
    expect(resourceLabel(ref.resourceType)).toBe('AWS::EC2::NetworkInterface');
    expect(asffResourceType(ref.resourceType)).toBe('Other');
    expect(resourceArn(ref)).toBeUndefined();
    expect(serviceConsoleUrl(ref, 'us-east-1')).toBeUndefined();
  });
});
