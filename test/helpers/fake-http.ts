/**
 * A fake HTTP handler under a real SDK client: unlike aws-sdk-client-mock, requests go through the
 * whole middleware stack, retries included, so throttling behaviour is what runs in Lambda.
 */
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';

export interface FakeReply {
  readonly status: number;
  readonly body: unknown;
  readonly errorType?: string;
}

export class FakeHttpHandler {
  readonly requests: { target: string; body: unknown }[] = [];

  constructor(private readonly reply: (attempt: number, target: string, body: unknown) => FakeReply) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const raw: unknown = request.body;
    // The SDK's JSON body is a Uint8Array with string methods that warn when used (JsonCodec2):
    // decode its bytes, as a real HTTP handler sends them. Buffer.from would call its valueOf.
    const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : '';
    const body = text !== '' ? (JSON.parse(text) as unknown) : undefined;
    this.requests.push({ target, body });
    const reply = this.reply(this.requests.length, target, body);
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${this.requests.length}` };
    if (reply.errorType) headers['x-amzn-errortype'] = reply.errorType;
    return { response: new HttpResponse({ statusCode: reply.status, headers, body: Readable.from([Buffer.from(JSON.stringify(reply.body))]) }) };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

export const throttled: FakeReply = { status: 400, errorType: 'ThrottlingException', body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };

export const fakeCredentials = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake' };
