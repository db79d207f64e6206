// The products a vendor registers (package-urls and namespaces) so that cases find it, managed by
// the vendor itself; and the directory of vendors a coordinator adds to a case by hand.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import { organisations } from '../../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../lib/errors.ts';
import type { ModuleDeps } from '../../../server/module-deps.ts';
import type { Actor } from '../../access/actor.ts';
import { can, type Subject } from '../../access/policy.ts';
import { InvalidPurlError } from '../../matching/purl.ts';
import { displayKey, registrationKey } from './coordination.fns.ts';
import { coordinationVendorProducts } from './coordination.schema.ts';
import type { ProductInput } from './coordination.types.ts';

export const MAX_PRODUCTS_PER_VENDOR = 2000;

export function createVendorProducts({ db, audit, clock }: Pick<ModuleDeps, 'db' | 'audit' | 'clock'>) {
  const mayRespond = (subject: Subject) => can(subject, 'vendor:respond') && subject.orgKind === 'vendor';

  const productView = (p: typeof coordinationVendorProducts.$inferSelect) => ({
    id: p.id,
    purl: displayKey({ type: p.purlType, namespace: p.namespace, name: p.name }),
    match: (p.name ? 'package' : 'namespace') as 'package' | 'namespace',
    label: p.label,
    createdAt: p.createdAt.toISOString(),
  });

  async function listProducts(subject: Subject) {
    if (!mayRespond(subject)) throw new ForbiddenError('Products are registered by vendor security coordinators.');
    const rows = await db.select().from(coordinationVendorProducts).where(eq(coordinationVendorProducts.vendorOrgId, subject.orgId)).orderBy(asc(coordinationVendorProducts.purlType), asc(coordinationVendorProducts.namespace), asc(coordinationVendorProducts.name)).limit(MAX_PRODUCTS_PER_VENDOR);
    return rows.map(productView);
  }

  async function registerProduct(actor: Actor, subject: Subject, input: ProductInput) {
    if (!mayRespond(subject)) throw new ForbiddenError('Products are registered by vendor security coordinators.');
    let key;
    try {
      key = registrationKey(input.purl, input.match);
    } catch (e) {
      if (e instanceof InvalidPurlError) throw new ValidationError('The product is not a package-url.', [{ path: '/purl', message: e.message }]);
      throw e;
    }
    const id = randomUUID();
    const now = clock();
    return db.transaction(async (tx) => {
      const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(coordinationVendorProducts).where(eq(coordinationVendorProducts.vendorOrgId, subject.orgId))) as [{ n: number }];
      if (Number(n) >= MAX_PRODUCTS_PER_VENDOR) throw new ValidationError('Too many products.', [{ path: '/purl', message: `at most ${MAX_PRODUCTS_PER_VENDOR} per vendor` }]);
      const [row] = await tx
        .insert(coordinationVendorProducts)
        .values({ id, vendorOrgId: subject.orgId, purlType: key.type, namespace: key.namespace, name: key.name, label: input.label ?? null, createdBy: subject.userId, createdAt: now })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new ConflictError('That product is already registered.');
      await audit.record(tx, { actor, action: 'vendor_product.register', recordType: 'vendor_product', recordId: id, ownerOrgId: subject.orgId, detail: { purl: displayKey(key) } });
      return productView(row);
    });
  }

  async function removeProduct(actor: Actor, subject: Subject, id: string) {
    if (!mayRespond(subject)) throw new ForbiddenError('Products are registered by vendor security coordinators.');
    await db.transaction(async (tx) => {
      const [gone] = await tx
        .delete(coordinationVendorProducts)
        .where(and(eq(coordinationVendorProducts.id, id), eq(coordinationVendorProducts.vendorOrgId, subject.orgId)))
        .returning();
      if (!gone) throw new NotFoundError('product');
      await audit.record(tx, { actor, action: 'vendor_product.remove', recordType: 'vendor_product', recordId: id, ownerOrgId: subject.orgId, detail: { purl: displayKey({ type: gone.purlType, namespace: gone.namespace, name: gone.name }) } });
    });
  }

  /** Vendor organisations a coordinator can add by hand. */
  async function vendorDirectory(subject: Subject, q: { q?: string; limit: number }) {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('The vendor directory is for clearinghouse coordinators.');
    const rows = await db
      .select({ orgId: organisations.id, name: organisations.name, products: sql<number>`(select count(*)::int from ${coordinationVendorProducts} p where p.vendor_org_id = ${organisations.id})` })
      .from(organisations)
      .where(and(eq(organisations.kind, 'vendor'), q.q ? ilike(organisations.name, `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`) : undefined))
      .orderBy(asc(organisations.name))
      .limit(q.limit);
    return rows.map((r) => ({ ...r, products: Number(r.products) }));
  }

  return { listProducts, registerProduct, removeProduct, vendorDirectory };
}
