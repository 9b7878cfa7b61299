// Master-key rotation: re-wraps every tenant data key still wrapped by an older master
// key with the current one. Ciphertexts under the data keys stay as they are.
import type { PrismaClient } from '../db/client.ts';
import type { KeyRing } from './crypto.ts';

export async function rewrapTenantKeys(prisma: PrismaClient, keyRing: KeyRing): Promise<number> {
  const stale = await prisma.tenant.findMany({
    where: { masterKeyVersion: { not: keyRing.currentVersion } },
    select: { id: true, wrappedDataKey: true, masterKeyVersion: true },
  });
  for (const tenant of stale) {
    const { wrapped, version } = keyRing.wrap(keyRing.unwrap(tenant.wrappedDataKey, tenant.masterKeyVersion));
    // Conditional on the old version so two concurrent rotations cannot clobber each other.
    await prisma.tenant.updateMany({
      where: { id: tenant.id, masterKeyVersion: tenant.masterKeyVersion },
      data: { wrappedDataKey: wrapped, masterKeyVersion: version },
    });
  }
  return stale.length;
}
