// The certificate the emulator's Pub/Sub endpoint serves. Salesforce's endpoint speaks gRPC over TLS only
// (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/qs-java-parameters.html), so the emulator does
// too, with a self-signed certificate for localhost and 127.0.0.1 made once per process (selfsigned). Clients that
// verify are given the certificate (RunningEmulator.pubSub.certificatePem, GET /__emulator/pubsub/certificate).
import { generate } from 'selfsigned'

export interface ServerCertificate {
  certificatePem: string
  privateKeyPem: string
}

let generated: Promise<ServerCertificate> | undefined

export function emulatorCertificate(): Promise<ServerCertificate> {
  generated ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  }).then((result) => ({ certificatePem: result.cert, privateKeyPem: result.private }))
  return generated
}
