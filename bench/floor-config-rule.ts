/** The floor for any Config rule in JavaScript: only the Config client, one PutEvaluations. */
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';

const client = new ConfigServiceClient({});

export const handler = async (event: { resultToken: string }) => client.send(new PutEvaluationsCommand({ ResultToken: event.resultToken, Evaluations: [] }));
