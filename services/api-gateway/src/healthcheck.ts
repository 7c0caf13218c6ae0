// Container healthcheck: `node dist/healthcheck.js` asks the gateway's /health (every service ready).
import { loadGatewayConfig } from './config/gateway.config';

const { GATEWAY_HOST, GATEWAY_PORT } = loadGatewayConfig();
const host = GATEWAY_HOST === '0.0.0.0' ? '127.0.0.1' : GATEWAY_HOST;
fetch(`http://${host}:${GATEWAY_PORT}/health`)
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));
