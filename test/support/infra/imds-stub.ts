// A loopback stand-in for the VM's Instance Metadata Service: the two calls the reporter makes, nothing more.
// It insists on the "Metadata: true" header as IMDS does, and records which token audiences were asked for.
import { createServer, type Server } from 'node:http';

export interface ImdsStub {
  url: string;
  tokenResources: string[];
  stop(): Promise<void>;
}

export async function startImdsStub(vm: {
  vmssId: string;
  instanceId: string;
  location: string;
  /** false: answer like a VM whose compute.resourceId is not the scale-set instance id (name fields only). */
  withResourceId?: boolean;
}): Promise<ImdsStub> {
  const tokenResources: string[] = [];
  const [, subscriptionId, resourceGroupName, vmScaleSetName] =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)$/i.exec(
      vm.vmssId,
    ) ?? [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://imds');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.metadata !== 'true') return send(400, { error: 'Bad request. Required metadata header not specified' });
    if (url.pathname === '/metadata/instance') {
      return send(200, {
        compute: {
          location: vm.location,
          name: `${vmScaleSetName}_${vm.instanceId}`,
          resourceGroupName,
          subscriptionId,
          vmScaleSetName,
          resourceId: vm.withResourceId === false ? '' : `${vm.vmssId}/virtualMachines/${vm.instanceId}`,
        },
      });
    }
    if (url.pathname === '/metadata/identity/oauth2/token') {
      const resource = url.searchParams.get('resource') ?? '';
      tokenResources.push(resource);
      return send(200, {
        access_token: 'imds-token-for-tests',
        expires_in: '86399',
        expires_on: String(Math.floor(Date.now() / 1000) + 86_399),
        resource,
        token_type: 'Bearer',
      });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    tokenResources,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
