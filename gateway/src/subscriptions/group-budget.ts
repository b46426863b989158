import type { LiveSubscribeRequest } from './live-request';

/**
 * How many distinct groups (one resolution each per event) each signed-in subject and each address
 * holds, and the bound on it: varying what a selection asks for would otherwise multiply the
 * resolutions. Joining a group it is already in costs an owner nothing; a new one counts against its bound.
 */
export class GroupBudget {
  /** For each subject and address (`subject:…`, `address:…`): its members in each group it is in. */
  private readonly owners = new Map<string, Map<string, number>>();

  constructor(private readonly max: { subject: number; address: number }) {}

  /** Whether every owner may be in the group: it already is, or it holds fewer groups than its bound. */
  allows(owners: readonly string[], groupKey: string): boolean {
    return owners.every((owner) => {
      const held = this.owners.get(owner);
      const max = owner.startsWith('subject:') ? this.max.subject : this.max.address;
      return !held || held.has(groupKey) || held.size < max;
    });
  }

  /** Counts one more member of the group for each owner. */
  own(owners: readonly string[], groupKey: string): void {
    for (const owner of owners) {
      const held = this.owners.get(owner) ?? new Map<string, number>();
      held.set(groupKey, (held.get(groupKey) ?? 0) + 1);
      this.owners.set(owner, held);
    }
  }

  /** Counts one member fewer; an owner with no member left in any group is forgotten. */
  release(owners: readonly string[], groupKey: string): void {
    for (const owner of owners) {
      const held = this.owners.get(owner);
      const left = (held?.get(groupKey) ?? 0) - 1;
      if (!held) continue;
      if (left > 0) held.set(groupKey, left);
      else held.delete(groupKey);
      if (held.size === 0) this.owners.delete(owner);
    }
  }

  /** Subjects and addresses with a group. */
  get size(): number {
    return this.owners.size;
  }
}

/** Whose groups a subscription counts against: its signed-in subject, and its address when known. */
export function ownersOf(request: LiveSubscribeRequest): string[] {
  const owners: string[] = [];
  if (request.identity) owners.push(`subject:${request.identity.role}:${request.identity.subject}`);
  if (request.address) owners.push(`address:${addressBlock(request.address)}`);
  return owners;
}

/**
 * The block one client controls: an IPv4 address itself, an IPv6 address's /64 (a client is usually
 * handed a whole /64, so counting single IPv6 addresses would let it hold groups without bound).
 */
export function addressBlock(address: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1] ?? address;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group || '0', 16).toString(16))
    .join(':')}::/64`;
}
