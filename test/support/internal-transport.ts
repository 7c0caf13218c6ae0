import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { testStack } from '../setup/stack';

/** A TCP client straight to a service's internal transport, as an outsider on the host would connect. */
export function tcpClient(portVariable: 'DIRECTORY_PORT' | 'ACCESS_WORKFLOWS_PORT'): ClientProxy {
  return ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: Number(testStack().serviceEnv[portVariable]) } });
}

/** Sends one message as an outsider would; resolves to the answer or to the error body it got. */
export async function send(client: ClientProxy, pattern: string, payload: unknown): Promise<{ ok: boolean; body: any }> {
  try {
    return { ok: true, body: await firstValueFrom(client.send(pattern, payload).pipe(timeout(20_000))) };
  } catch (err) {
    return { ok: false, body: err };
  }
}
