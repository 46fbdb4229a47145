import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

const RECOVERY_POINT = '../ci/AWS_Backup_RecoveryPoint.json';

describe('backup-recovery-point-encrypted', () => {
  runItemCases('backup-recovery-point-encrypted', [
    {
      name: 'an encrypted recovery point is COMPLIANT',
      item: () => itemFrom(RECOVERY_POINT),
      compliance: 'COMPLIANT',
      annotation: /Recovery point is encrypted/,
    },
    {
      name: 'an unencrypted recovery point is NON_COMPLIANT',
      item: () => itemFrom(RECOVERY_POINT, { configuration: { IsEncrypted: false, EncryptionKeyArn: null } }),
      compliance: 'NON_COMPLIANT',
      annotation: /IsEncrypted = false/,
    },
    {
      name: 'a recovery point encrypted with an allowed key id is COMPLIANT',
      item: () => itemFrom(RECOVERY_POINT),
      params: { kmsKeyArns: '0e6c91d5-e23b-4ed3-bd36-1561fbbc0a2d' },
      compliance: 'COMPLIANT',
      annotation: /encrypted/,
    },
    { name: 'a deleted recovery point is NOT_APPLICABLE', item: () => deletedFrom(RECOVERY_POINT), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'an S3 bucket is NOT_APPLICABLE',
      item: () => itemFrom(SAMPLE.bucket),
      compliance: 'NOT_APPLICABLE',
      annotation: /does not evaluate AWS::S3::Bucket/,
    },
    {
      name: 'a recovery point item without IsEncrypted cannot be evaluated',
      item: () => itemFrom(RECOVERY_POINT, { configuration: { IsEncrypted: null } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /IsEncrypted is missing/,
    },
  ]);

  test('kmsKeyArns rejects a bucket ARN', () => {
    expectBadParameter('backup-recovery-point-encrypted', { kmsKeyArns: 'arn:aws:s3:::bucket' }, /kmsKeyArns = "arn:aws:s3:::bucket" is invalid/);
  });
});

testOnExampleClinic('backup-recovery-point-encrypted', 'the one unencrypted recovery point fails', {
  COMPLIANT: [
    'arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C01 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C01)',
    'arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C02 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C02)',
    'arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C04 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C04)',
    'arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C05 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C05)',
    'arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C06 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C06)',
    'arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C07 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C07)',
    'arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C08 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C08)',
    'arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C09 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C09)',
  ],
  NON_COMPLIANT: ['arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C03 (4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C03)'],
});
