import { randomBytes } from 'node:crypto';
import type { TopicKey } from '@clinic/contracts';
import {
  Kind,
  print,
  visit,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';
import { permissionKey, type LiveField } from './live-fields';
import type { LiveSubscribeRequest, LiveRequest } from './live-request';
import type { LiveSink } from './live-sink';
import type { LiveWriter } from './live-hub';

/**
 * Subscribers asking the same thing with the same permissions: one document, the same values for the
 * variables its selection uses, one permission key. One resolution per event serves them all. The field's
 * own arguments (a doctor, a date range) only filter events, so subscribers differing only there share a
 * group, split into audiences.
 */
export interface Group {
  key: string;
  field: LiveField;
  /** The first member's request, its variables coerced: the group resolves each event with it. */
  request: LiveSubscribeRequest;
  /** By the field arguments, as JSON. */
  audiences: Map<string, Audience>;
}

/** The members of a group with the same field arguments: an event goes to all of them or to none. */
export interface Audience {
  /** The arguments as JSON: the audience's key in its group. */
  key: string;
  args: Record<string, unknown>;
  sinks: Set<LiveSink>;
  writers: Set<LiveWriter>;
}

/** Every group of live subscribers, by key and by the topic whose events they watch. */
export class LiveGroups {
  private readonly groups = new Map<string, Group>();
  private readonly byTopic = new Map<TopicKey, Set<Group>>();

  /** The audience for these arguments in the group with this key, each made if it is not there yet. */
  join(
    key: string,
    request: LiveSubscribeRequest,
    live: LiveRequest,
  ): { group: Group; audience: Audience; newGroup: boolean } {
    let group = this.groups.get(key);
    const newGroup = !group;
    if (!group) {
      group = {
        key,
        field: live.field,
        request: { ...request, variables: live.variables },
        audiences: new Map(),
      };
      this.groups.set(key, group);
      const topicGroups = this.byTopic.get(live.field.topic) ?? new Set();
      topicGroups.add(group);
      this.byTopic.set(live.field.topic, topicGroups);
    }
    const argsKey = JSON.stringify(live.args);
    let audience = group.audiences.get(argsKey);
    if (!audience) {
      audience = { key: argsKey, args: live.args, sinks: new Set(), writers: new Set() };
      group.audiences.set(argsKey, audience);
    }
    return { group, audience, newGroup };
  }

  /** Forgets an audience with no member left, and its group with it if that was the last; says whether it did. */
  forgetIfEmpty(group: Group, audience: Audience): { groupForgotten: boolean } {
    if (audience.sinks.size + audience.writers.size > 0) return { groupForgotten: false };
    group.audiences.delete(audience.key);
    if (group.audiences.size > 0) return { groupForgotten: false };
    this.groups.delete(group.key);
    this.byTopic.get(group.field.topic)?.delete(group);
    return { groupForgotten: true };
  }

  onTopic(topic: TopicKey): Iterable<Group> {
    return this.byTopic.get(topic) ?? [];
  }

  all(): Iterable<Group> {
    return this.groups.values();
  }

  get size(): number {
    return this.groups.size;
  }
}

/**
 * The key of the group a subscription belongs to: its document, operation, the values of the variables its
 * selection uses and its permission key. Unshared, every subscriber gets a group of its own.
 */
export function groupKey(request: LiveSubscribeRequest, live: LiveRequest, share: boolean): string {
  if (!share) return randomBytes(12).toString('hex');
  const { variables } = live;
  return JSON.stringify([
    printed(request.document),
    request.operationName ?? null,
    // Defaults are applied; an absent variable without one still keys apart from an explicit null.
    selectionVariables(request.document, live.operation, live.fieldNode).map((name) =>
      Object.hasOwn(variables, name) ? [name, variables[name]] : [name],
    ),
    permissionKey(request.identity),
  ]);
}

const selectionVariableNames = new WeakMap<FieldNode, string[]>();

/**
 * The variables a subscription's result can depend on: all but those used only in the field's own
 * arguments, which filter events and are not part of the selection. Fragments count whether or not this
 * field spreads them (a variable too many only means less sharing).
 */
function selectionVariables(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
): string[] {
  let names = selectionVariableNames.get(field);
  if (!names) {
    const found = new Set<string>();
    const collect = (node: ASTNode) =>
      visit(node, { Variable: (variable) => void found.add(variable.name.value) });
    collect({ ...field, arguments: [] });
    for (const directive of operation.directives ?? []) collect(directive);
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
    names = [...found].sort();
    selectionVariableNames.set(field, names);
  }
  return names;
}

const printedDocuments = new WeakMap<DocumentNode, string>();

/** A document's canonical text, printed once: subscribers sending the same text share one document. */
function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}
