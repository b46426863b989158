import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { AuditEntry as AuditEntryRow, DeadLetter as DeadLetterRow } from './prisma/client';
import { AppointmentReference } from '../appointment-reference';
import { AuditContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in ISO 8601 with an offset, e.g. 2026-12-01T09:00:00.000Z. */
  DateTime: { input: Date; output: Date; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type Appointment = {
  __typename?: 'Appointment';
  /** What happened to this appointment, oldest first. */
  history: Array<AuditEntry>;
  id: Scalars['ID']['output'];
};

export type AuditChainBadRow = {
  __typename?: 'AuditChainBadRow';
  detail: Scalars['String']['output'];
  /** The entry at that position; null when it was deleted. */
  id: Maybe<Scalars['ID']['output']>;
  problem: AuditChainProblem;
  /** The first bad position: the entry's sequence, or the first missing one. */
  sequence: Scalars['String']['output'];
};

export type AuditChainHead = {
  __typename?: 'AuditChainHead';
  hash: Scalars['String']['output'];
  sequence: Scalars['String']['output'];
};

export type AuditChainProblem =
  /** The entry no longer matches its hash, or was re-hashed and no longer links to its neighbour. */
  | 'ALTERED'
  /** Entries are missing from this sequence on (a gap, or the tail cut short of a checkpoint). */
  | 'DELETED'
  /** The entry links into the chain where the service never wrote one. */
  | 'INSERTED';

/** What verifying the audit trail's hash chain found. */
export type AuditChainVerification = {
  __typename?: 'AuditChainVerification';
  checkedRows: Scalars['Int']['output'];
  /** How many exported checkpoints fell within the range checked. */
  checkpointsChecked: Scalars['Int']['output'];
  /** The first entry that breaks the chain; null when ok. */
  firstBadRow: Maybe<AuditChainBadRow>;
  /** The last entry that verified: its sequence and hash. */
  head: Maybe<AuditChainHead>;
  /** True when every entry checked links to the one before and matches its hash and the checkpoints. */
  ok: Scalars['Boolean']['output'];
};

/** One append-only record of a significant action. Holds pseudonymous ids only. */
export type AuditEntry = {
  __typename?: 'AuditEntry';
  /** What happened, e.g. appointment.booked. */
  action: Scalars['String']['output'];
  actorRole: Scalars['String']['output'];
  actorSubject: Scalars['String']['output'];
  correlationId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  recordedAt: Scalars['DateTime']['output'];
  /** Position in the log, increasing with every entry. */
  sequence: Scalars['String']['output'];
  subjectId: Scalars['ID']['output'];
  subjectType: Scalars['String']['output'];
};

/** A message a consumer group gave up on: it failed validation, or its handler kept failing. */
export type DeadLetter = {
  __typename?: 'DeadLetter';
  consumerGroup: Scalars['String']['output'];
  failedAt: Scalars['DateTime']['output'];
  headers: Array<MessageHeader>;
  id: Scalars['ID']['output'];
  key: Maybe<Scalars['String']['output']>;
  lastReplayedAt: Maybe<Scalars['DateTime']['output']>;
  /** The original message body, verbatim. Events hold pseudonymous ids only. */
  message: Scalars['String']['output'];
  reason: Scalars['String']['output'];
  replayCount: Scalars['Int']['output'];
  /** The stream it came from, e.g. appointments. */
  topic: Scalars['String']['output'];
};

/** The dead letter's message is back on its topic; the letter as it was right after. */
export type DeadLetterReplayed = {
  __typename?: 'DeadLetterReplayed';
  deadLetter: DeadLetter;
};

/** The input broke a rule; `field` names it. */
export type InvalidInput = {
  __typename?: 'InvalidInput';
  field: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

export type MessageHeader = {
  __typename?: 'MessageHeader';
  name: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Puts a dead letter's message back on its topic; consumers that handled it already skip it. System
   * administrators only. The same request with the same key answers the first replay, even concurrently, and
   * replays nothing more; another request under your key is InvalidInput on idempotencyKey (docs/idempotency.md).
   */
  replayDeadLetter: ReplayDeadLetterResult;
};


export type MutationReplayDeadLetterArgs = {
  id: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * Audit entries matching every filter given, newest first, at most `first` (1 to 500); `before` pages
   * on: pass the last entry's `sequence`. System administrators read all of it, practice managers their
   * clinic's.
   */
  auditTrail: Array<AuditEntry>;
  /** Dead letters, newest first, at most `first` (1 to 200). System administrators only. */
  deadLetters: Array<DeadLetter>;
  /**
   * Recomputes the audit trail's hash chain from `from` (a sequence; default the first entry) and names the
   * first altered, deleted or inserted entry, also checking the exported checkpoints. System administrators only.
   */
  verifyAuditChain: AuditChainVerification;
};


export type QueryAuditTrailArgs = {
  actorRole?: InputMaybe<Scalars['String']['input']>;
  actorSubject?: InputMaybe<Scalars['ID']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  correlationId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  occurredFrom?: InputMaybe<Scalars['DateTime']['input']>;
  occurredTo?: InputMaybe<Scalars['DateTime']['input']>;
  subjectId?: InputMaybe<Scalars['ID']['input']>;
  subjectType?: InputMaybe<Scalars['String']['input']>;
};


export type QueryDeadLettersArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryVerifyAuditChainArgs = {
  from?: InputMaybe<Scalars['String']['input']>;
};

export type ReplayDeadLetterResult = DeadLetterReplayed | InvalidInput;

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Appointment: Appointment;
  AuditEntry: AuditEntry;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Appointment:
    ( { __typename: 'Appointment' }
    & GraphQLRecursivePick<FederationTypes['Appointment'], {"id":true}> );
  AuditEntry:
    ( { __typename: 'AuditEntry' }
    & GraphQLRecursivePick<FederationTypes['AuditEntry'], {"id":true}> );
}>;

/** Mapping of union types */
export type ResolversUnionTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  ReplayDeadLetterResult:
    | ( Omit<DeadLetterReplayed, 'deadLetter'> & { deadLetter: _RefType['DeadLetter'] } )
    | ( InvalidInput )
  ;
}>;


/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Appointment: ResolverTypeWrapper<AppointmentReference>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuditChainBadRow: ResolverTypeWrapper<AuditChainBadRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AuditChainHead: ResolverTypeWrapper<AuditChainHead>;
  AuditChainProblem: AuditChainProblem;
  AuditChainVerification: ResolverTypeWrapper<AuditChainVerification>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  AuditEntry: ResolverTypeWrapper<AuditEntryRow>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeadLetter: ResolverTypeWrapper<DeadLetterRow>;
  DeadLetterReplayed: ResolverTypeWrapper<Omit<DeadLetterReplayed, 'deadLetter'> & { deadLetter: ResolversTypes['DeadLetter'] }>;
  InvalidInput: ResolverTypeWrapper<InvalidInput>;
  MessageHeader: ResolverTypeWrapper<MessageHeader>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReplayDeadLetterResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['ReplayDeadLetterResult']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Appointment: AppointmentReference;
  ID: Scalars['ID']['output'];
  AuditChainBadRow: AuditChainBadRow;
  String: Scalars['String']['output'];
  AuditChainHead: AuditChainHead;
  AuditChainVerification: AuditChainVerification;
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  AuditEntry: AuditEntryRow;
  DateTime: Scalars['DateTime']['output'];
  DeadLetter: DeadLetterRow;
  DeadLetterReplayed: Omit<DeadLetterReplayed, 'deadLetter'> & { deadLetter: ResolversParentTypes['DeadLetter'] };
  InvalidInput: InvalidInput;
  MessageHeader: MessageHeader;
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  ReplayDeadLetterResult: ResolversUnionTypes<ResolversParentTypes>['ReplayDeadLetterResult'];
}>;

export type AppointmentResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['Appointment'] = ResolversParentTypes['Appointment'], FederationReferenceType extends FederationReferenceTypes['Appointment'] = FederationReferenceTypes['Appointment']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Appointment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  history?: Resolver<Array<ResolversTypes['AuditEntry']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type AuditChainBadRowResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['AuditChainBadRow'] = ResolversParentTypes['AuditChainBadRow']> = ResolversObject<{
  detail?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  problem?: Resolver<ResolversTypes['AuditChainProblem'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AuditChainHeadResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['AuditChainHead'] = ResolversParentTypes['AuditChainHead']> = ResolversObject<{
  hash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AuditChainVerificationResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['AuditChainVerification'] = ResolversParentTypes['AuditChainVerification']> = ResolversObject<{
  checkedRows?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  checkpointsChecked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstBadRow?: Resolver<Maybe<ResolversTypes['AuditChainBadRow']>, ParentType, ContextType>;
  head?: Resolver<Maybe<ResolversTypes['AuditChainHead']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AuditEntryResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['AuditEntry'] = ResolversParentTypes['AuditEntry'], FederationReferenceType extends FederationReferenceTypes['AuditEntry'] = FederationReferenceTypes['AuditEntry']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AuditEntry']> | FederationReferenceType, FederationReferenceType, ContextType>;
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorRole?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorSubject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  correlationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  recordedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  subjectId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  subjectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeadLetterResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['DeadLetter'] = ResolversParentTypes['DeadLetter']> = ResolversObject<{
  consumerGroup?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  failedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  headers?: Resolver<Array<ResolversTypes['MessageHeader']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  key?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastReplayedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  replayCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  topic?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DeadLetterReplayedResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['DeadLetterReplayed'] = ResolversParentTypes['DeadLetterReplayed']> = ResolversObject<{
  deadLetter?: Resolver<ResolversTypes['DeadLetter'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type InvalidInputResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['InvalidInput'] = ResolversParentTypes['InvalidInput']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MessageHeaderResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['MessageHeader'] = ResolversParentTypes['MessageHeader']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  replayDeadLetter?: Resolver<ResolversTypes['ReplayDeadLetterResult'], ParentType, ContextType, RequireFields<MutationReplayDeadLetterArgs, 'id' | 'idempotencyKey'>>;
}>;

export type QueryResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  auditTrail?: Resolver<Array<ResolversTypes['AuditEntry']>, ParentType, ContextType, RequireFields<QueryAuditTrailArgs, 'first'>>;
  deadLetters?: Resolver<Array<ResolversTypes['DeadLetter']>, ParentType, ContextType, RequireFields<QueryDeadLettersArgs, 'first'>>;
  verifyAuditChain?: Resolver<ResolversTypes['AuditChainVerification'], ParentType, ContextType, Partial<QueryVerifyAuditChainArgs>>;
}>;

export type ReplayDeadLetterResultResolvers<ContextType = AuditContext, ParentType extends ResolversParentTypes['ReplayDeadLetterResult'] = ResolversParentTypes['ReplayDeadLetterResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'DeadLetterReplayed' | 'InvalidInput', ParentType, ContextType>;
}>;

export type Resolvers<ContextType = AuditContext> = ResolversObject<{
  Appointment?: AppointmentResolvers<ContextType>;
  AuditChainBadRow?: AuditChainBadRowResolvers<ContextType>;
  AuditChainHead?: AuditChainHeadResolvers<ContextType>;
  AuditChainVerification?: AuditChainVerificationResolvers<ContextType>;
  AuditEntry?: AuditEntryResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  DeadLetterReplayed?: DeadLetterReplayedResolvers<ContextType>;
  InvalidInput?: InvalidInputResolvers<ContextType>;
  MessageHeader?: MessageHeaderResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReplayDeadLetterResult?: ReplayDeadLetterResultResolvers<ContextType>;
}>;

