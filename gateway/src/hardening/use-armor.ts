import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, parse, type DocumentNode, type ValidationContext, type ValidationRule } from 'graphql';
import type { HardeningOptions } from './options';
import { costLimitRule, type CostModel } from './cost';

/**
 * Generous for every operation our clients send (the full introspection query is under 200 tokens);
 * far below what a hostile operation needs. The token cap also bounds graphql-js's quadratic check of
 * a field repeated many times in one selection, which no other limit here catches.
 */
export const OPERATION_LIMITS = {
  depth: 12,
  aliases: 15,
  directives: 20,
  /** Estimated objects (list sizes multiplied; see cost.ts), per operation and per subscription event. */
  cost: 5_000,
  tokens: 1000,
  errors: 5,
};

/**
 * graphql-armor's depth, alias and directive rules, our cost rule (list sizes from the supergraph's
 * `@listSize`, which armor's cost rule cannot read), plus a token limit. The limits themselves are
 * never echoed to clients (they would only help an attacker tune an operation to fit just under them).
 * In production, "Did you mean …?" suggestions are hidden too, since they leak the schema.
 */
export function useArmor(
  mode: HardeningOptions['mode'],
  /** The supergraph's `@cost`/`@listSize`, current with the schema the gateway serves. */
  costModel: () => CostModel,
): Pick<ApolloServerOptions<BaseContext>, 'parseOptions' | 'validationOptions'> & {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
} {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: OPERATION_LIMITS.depth, ...rejectWith('The operation is nested too deeply.') },
    maxAliases: { n: OPERATION_LIMITS.aliases, ...rejectWith('The operation uses too many aliases.') },
    maxDirectives: {
      n: OPERATION_LIMITS.directives,
      ...rejectWith('The operation uses too many directives.'),
    },
    // Armor's cost rule counts each field once, whatever list it sits in: a list of lists of lists
    // passed it. costLimitRule multiplies by list sizes instead.
    costLimit: { enabled: false },
    // Armor's token plugin throws from a hook Apollo answers with HTTP 500; graphql-js's own parser limit
    // (parseOptions below) fails as a syntax error with 400 instead.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: mode === 'production' },
  }).protect();
  return {
    plugins: [...plugins, tokenLimitMessage],
    validationRules: [...validationRules, costLimitRule(costModel, OPERATION_LIMITS.cost)],
    parseOptions: { maxTokens: OPERATION_LIMITS.tokens },
    // Every error costs a stack trace; an operation built to fail a rule fifty times gets the first few.
    validationOptions: { maxErrors: OPERATION_LIMITS.errors },
  };
}

/** Reports a rejection as a plain validation error with our message (armor's own prefixes it "Syntax Error"). */
function rejectWith(message: string) {
  // Coded here, not only by Apollo: the SSE endpoint validates subscriptions itself.
  const report = (context: ValidationContext | null) =>
    context?.reportError(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  return { exposeLimits: false, propagateOnRejection: false, onReject: [report] };
}

/** graphql-js names the token limit in its message (spelt "more that"); clients get the fact, not the number. */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more th(an|at) \d+ tokens/;
const hideTokenLimit = (error: GraphQLError) => {
  if (TOO_MANY_TOKENS.test(error.message)) error.message = 'The operation has too many tokens.';
};

const tokenLimitMessage: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) hideTokenLimit(error);
      },
    };
  },
};

/** Parses an operation that does not pass through Apollo (a subscription) within the same token limit. */
export function parseOperation(query: string): DocumentNode {
  try {
    return parse(query, { maxTokens: OPERATION_LIMITS.tokens });
  } catch (error) {
    if (error instanceof GraphQLError) hideTokenLimit(error);
    throw error;
  }
}
