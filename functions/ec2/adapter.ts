/** The one EC2 setting no configuration item records: EBS encryption by default (per account and Region). */
import { GetEbsEncryptionByDefaultCommand, type EC2Client } from '@aws-sdk/client-ec2';

export class Ec2Adapter {
  constructor(private readonly client: EC2Client) {}

  async ebsEncryptionByDefault(): Promise<boolean> {
    const response = await this.client.send(new GetEbsEncryptionByDefaultCommand({}));
    if (response.EbsEncryptionByDefault === undefined) throw new Error('GetEbsEncryptionByDefault returned no EbsEncryptionByDefault');
    return response.EbsEncryptionByDefault;
  }
}
