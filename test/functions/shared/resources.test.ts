import { asffResourceType, resourceArn, resourceLabel, serviceConsoleUrl } from '../../../functions/shared/resources.js';
import { RESOURCE_TYPES } from '../../../rules/resource-types.js';

describe('resource naming in findings and alerts', () => {
  test('a declared type is named as rules/resource-types.ts says', () => {
    expect(resourceLabel('AWS::EC2::Volume')).toBe(RESOURCE_TYPES['AWS::EC2::Volume'].label);
    expect(asffResourceType('AWS::EFS::FileSystem')).toBe('Other');
    expect(resourceArn({ resourceType: 'AWS::EC2::Volume', resourceId: 'vol-1', accountId: '111122223333', region: 'us-east-1' })).toBe('arn:aws:ec2:us-east-1:111122223333:volume/vol-1');
  });

  test('a type nobody declared (a malformed or foreign event) shows as its own Config type, never as a generic "resource"', () => {
    const ref = { resourceType: 'AWS::EC2::SecurityGroup', resourceId: 'sg-1', accountId: '111122223333', region: 'us-east-1' };
    expect(resourceLabel(ref.resourceType)).toBe('AWS::EC2::SecurityGroup');
    expect(asffResourceType(ref.resourceType)).toBe('Other');
    expect(resourceArn(ref)).toBeUndefined();
    expect(serviceConsoleUrl(ref, 'us-east-1')).toBeUndefined();
  });
});
