import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { Clinic as ClinicRow, Doctor as DoctorRow } from './prisma/client';
import { DoctorsContext } from '../context';
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

export type AddAvailabilityExceptionInput = {
  doctorId: Scalars['ID']['input'];
  endsAt: Scalars['DateTime']['input'];
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  kind: AvailabilityExceptionKind;
  /** Optional short code: lowercase letters, digits and - (e.g. annual-leave); no free text. */
  reasonCode?: InputMaybe<Scalars['String']['input']>;
  startsAt: Scalars['DateTime']['input'];
};

export type AddAvailabilityExceptionResult = AvailabilityExceptionAdded | InvalidInput | NotAllowed;

/** A period a doctor is not available although their weekly rules say otherwise. */
export type AvailabilityException = {
  __typename?: 'AvailabilityException';
  doctorId: Scalars['ID']['output'];
  endsAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  kind: AvailabilityExceptionKind;
  /** A short reason code such as annual-leave or training; never free text. */
  reasonCode: Maybe<Scalars['String']['output']>;
  startsAt: Scalars['DateTime']['output'];
};

export type AvailabilityExceptionAdded = {
  __typename?: 'AvailabilityExceptionAdded';
  exception: AvailabilityException;
};

export type AvailabilityExceptionKind =
  | 'blocked'
  | 'leave';

export type AvailabilityExceptionRemoved = {
  __typename?: 'AvailabilityExceptionRemoved';
  exceptionId: Scalars['ID']['output'];
};

/** One weekly period of a doctor's hours, in the clinic's local time. */
export type AvailabilityRule = {
  __typename?: 'AvailabilityRule';
  /** Local wall-clock end, HH:mm (exclusive). */
  endLocal: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Length of each slot in minutes (5 to 240); it divides the period exactly. */
  slotMinutes: Scalars['Int']['output'];
  /** Local wall-clock start, HH:mm. */
  startLocal: Scalars['String']['output'];
  /** First local date (YYYY-MM-DD) the rule applies; null means no start. */
  validFrom: Maybe<Scalars['String']['output']>;
  /** Last local date (YYYY-MM-DD) the rule applies; null means no end. */
  validUntil: Maybe<Scalars['String']['output']>;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: Scalars['Int']['output'];
};

export type AvailabilityRuleInput = {
  /** HH:mm in the clinic's local time, after startLocal. */
  endLocal: Scalars['String']['input'];
  slotMinutes: Scalars['Int']['input'];
  /** HH:mm in the clinic's local time. */
  startLocal: Scalars['String']['input'];
  /** YYYY-MM-DD, inclusive. */
  validFrom?: InputMaybe<Scalars['String']['input']>;
  /** YYYY-MM-DD, inclusive. */
  validUntil?: InputMaybe<Scalars['String']['input']>;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: Scalars['Int']['input'];
};

export type AvailabilityRulesSet = {
  __typename?: 'AvailabilityRulesSet';
  doctorId: Scalars['ID']['output'];
  rules: Array<AvailabilityRule>;
};

/** A clinic. Its IANA time zone (for example Australia/Adelaide) governs how its doctors' hours map to instants. */
export type Clinic = {
  __typename?: 'Clinic';
  doctors: Array<Doctor>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Australian state or territory abbreviation, e.g. NSW. */
  state: Scalars['String']['output'];
  suburb: Scalars['String']['output'];
  /** IANA time zone name, e.g. Australia/Brisbane. */
  timeZone: Scalars['String']['output'];
};

/** A practitioner working at one clinic. Any doctor may see any patient. */
export type Doctor = {
  __typename?: 'Doctor';
  clinic: Clinic;
  familyName: Scalars['String']['output'];
  givenName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Display name, e.g. Dr Jane Citizen. */
  name: Scalars['String']['output'];
  /** Offers telehealth (video or phone) consultations: their slots may be booked with telehealth true. */
  offersTelehealth: Scalars['Boolean']['output'];
  specialty: Scalars['String']['output'];
  status: DoctorStatus;
};

/** Whether a doctor takes appointments. A removed doctor has left the clinic; their past appointments remain. */
export type DoctorStatus =
  | 'active'
  | 'removed'
  | 'unavailable';

/** A doctor's status changed. The gateway delivers it live; `doctor` is null once the doctor is removed. */
export type DoctorStatusChange = {
  __typename?: 'DoctorStatusChange';
  doctor: Maybe<Doctor>;
  doctorId: Scalars['ID']['output'];
  status: DoctorStatusChangeKind;
};

/** A doctor's working status as events report it; `removed` means the doctor left the clinic. */
export type DoctorStatusChangeKind =
  | 'active'
  | 'removed'
  | 'unavailable';

export type DoctorStatusSet = {
  __typename?: 'DoctorStatusSet';
  doctor: Doctor;
};

/** The input broke a rule; `field` names it. */
export type InvalidInput = {
  __typename?: 'InvalidInput';
  field: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

/**
 * Availability changes. Each publishes the doctor's derived slots on the doctors topic, committed with the
 * change. Clinic administrators and practice managers of the doctor's clinic and system administrators may
 * make them; a doctor may add and remove their own leave.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Adds leave or a blocked period; slots overlapping it are withdrawn. */
  addAvailabilityException: AddAvailabilityExceptionResult;
  /** Removes an exception; its slots come back. */
  removeAvailabilityException: RemoveAvailabilityExceptionResult;
  /** Replaces a doctor's weekly rules. */
  setAvailabilityRules: SetAvailabilityRulesResult;
  /** Makes a doctor active, unavailable or removed. Unavailable and removed doctors have no slots. */
  setDoctorStatus: SetDoctorStatusResult;
};


/**
 * Availability changes. Each publishes the doctor's derived slots on the doctors topic, committed with the
 * change. Clinic administrators and practice managers of the doctor's clinic and system administrators may
 * make them; a doctor may add and remove their own leave.
 */
export type MutationAddAvailabilityExceptionArgs = {
  input: AddAvailabilityExceptionInput;
};


/**
 * Availability changes. Each publishes the doctor's derived slots on the doctors topic, committed with the
 * change. Clinic administrators and practice managers of the doctor's clinic and system administrators may
 * make them; a doctor may add and remove their own leave.
 */
export type MutationRemoveAvailabilityExceptionArgs = {
  input: RemoveAvailabilityExceptionInput;
};


/**
 * Availability changes. Each publishes the doctor's derived slots on the doctors topic, committed with the
 * change. Clinic administrators and practice managers of the doctor's clinic and system administrators may
 * make them; a doctor may add and remove their own leave.
 */
export type MutationSetAvailabilityRulesArgs = {
  input: SetAvailabilityRulesInput;
};


/**
 * Availability changes. Each publishes the doctor's derived slots on the doctors topic, committed with the
 * change. Clinic administrators and practice managers of the doctor's clinic and system administrators may
 * make them; a doctor may add and remove their own leave.
 */
export type MutationSetDoctorStatusArgs = {
  input: SetDoctorStatusInput;
};

/** The caller's role may not do this. */
export type NotAllowed = {
  __typename?: 'NotAllowed';
  message: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * A doctor's exceptions overlapping [from, to), earliest first. Staff of the doctor's clinic and system
   * administrators.
   */
  availabilityExceptions: Array<AvailabilityException>;
  /** A doctor's weekly availability rules. Staff of the doctor's clinic and system administrators. */
  availabilityRules: Array<AvailabilityRule>;
  /** One clinic, or null when there is none with that id. Public. */
  clinic: Maybe<Clinic>;
  /** Every clinic, ordered by name. Public. */
  clinics: Array<Clinic>;
  /** One doctor, or null when there is none with that id. Public. */
  doctor: Maybe<Doctor>;
};


export type QueryAvailabilityExceptionsArgs = {
  doctorId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryAvailabilityRulesArgs = {
  doctorId: Scalars['ID']['input'];
};


export type QueryClinicArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDoctorArgs = {
  id: Scalars['ID']['input'];
};

export type RemoveAvailabilityExceptionInput = {
  exceptionId: Scalars['ID']['input'];
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
};

export type RemoveAvailabilityExceptionResult = AvailabilityExceptionRemoved | InvalidInput | NotAllowed;

export type SetAvailabilityRulesInput = {
  doctorId: Scalars['ID']['input'];
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  /** The complete new set of weekly rules (it replaces the old set); at most 100, none overlapping. */
  rules: Array<AvailabilityRuleInput>;
};

export type SetAvailabilityRulesResult = AvailabilityRulesSet | InvalidInput | NotAllowed;

export type SetDoctorStatusInput = {
  doctorId: Scalars['ID']['input'];
  /**
   * One key per intended action, repeated on every retry of it (8-100 letters, digits or . _ : -). The same
   * request again answers the first outcome, even concurrently; another request under your key is InvalidInput
   * on idempotencyKey; keys are per caller. See docs/idempotency.md.
   */
  idempotencyKey: Scalars['String']['input'];
  status: DoctorStatus;
};

export type SetDoctorStatusResult = DoctorStatusSet | InvalidInput | NotAllowed;

export type Subscription = {
  __typename?: 'Subscription';
  /** Doctors of one clinic whose status changes. Public. */
  doctorStatusChanged: DoctorStatusChange;
};


export type SubscriptionDoctorStatusChangedArgs = {
  clinicId: Scalars['ID']['input'];
};

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
  Clinic: Clinic;
  Doctor: Doctor;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Clinic:
    ( { __typename: 'Clinic' }
    & GraphQLRecursivePick<FederationTypes['Clinic'], {"id":true}> );
  Doctor:
    ( { __typename: 'Doctor' }
    & GraphQLRecursivePick<FederationTypes['Doctor'], {"id":true}> );
}>;

/** Mapping of union types */
export type ResolversUnionTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  AddAvailabilityExceptionResult:
    | ( AvailabilityExceptionAdded )
    | ( InvalidInput )
    | ( NotAllowed )
  ;
  RemoveAvailabilityExceptionResult:
    | ( AvailabilityExceptionRemoved )
    | ( InvalidInput )
    | ( NotAllowed )
  ;
  SetAvailabilityRulesResult:
    | ( AvailabilityRulesSet )
    | ( InvalidInput )
    | ( NotAllowed )
  ;
  SetDoctorStatusResult:
    | ( Omit<DoctorStatusSet, 'doctor'> & { doctor: _RefType['Doctor'] } )
    | ( InvalidInput )
    | ( NotAllowed )
  ;
}>;


/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AddAvailabilityExceptionInput: AddAvailabilityExceptionInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AddAvailabilityExceptionResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['AddAvailabilityExceptionResult']>;
  AvailabilityException: ResolverTypeWrapper<AvailabilityException>;
  AvailabilityExceptionAdded: ResolverTypeWrapper<AvailabilityExceptionAdded>;
  AvailabilityExceptionKind: AvailabilityExceptionKind;
  AvailabilityExceptionRemoved: ResolverTypeWrapper<AvailabilityExceptionRemoved>;
  AvailabilityRule: ResolverTypeWrapper<AvailabilityRule>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AvailabilityRuleInput: AvailabilityRuleInput;
  AvailabilityRulesSet: ResolverTypeWrapper<AvailabilityRulesSet>;
  Clinic: ResolverTypeWrapper<ClinicRow>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Doctor: ResolverTypeWrapper<DoctorRow>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DoctorStatus: DoctorStatus;
  DoctorStatusChange: ResolverTypeWrapper<Omit<DoctorStatusChange, 'doctor'> & { doctor?: Maybe<ResolversTypes['Doctor']> }>;
  DoctorStatusChangeKind: DoctorStatusChangeKind;
  DoctorStatusSet: ResolverTypeWrapper<Omit<DoctorStatusSet, 'doctor'> & { doctor: ResolversTypes['Doctor'] }>;
  InvalidInput: ResolverTypeWrapper<InvalidInput>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NotAllowed: ResolverTypeWrapper<NotAllowed>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RemoveAvailabilityExceptionInput: RemoveAvailabilityExceptionInput;
  RemoveAvailabilityExceptionResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['RemoveAvailabilityExceptionResult']>;
  SetAvailabilityRulesInput: SetAvailabilityRulesInput;
  SetAvailabilityRulesResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['SetAvailabilityRulesResult']>;
  SetDoctorStatusInput: SetDoctorStatusInput;
  SetDoctorStatusResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['SetDoctorStatusResult']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddAvailabilityExceptionInput: AddAvailabilityExceptionInput;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  AddAvailabilityExceptionResult: ResolversUnionTypes<ResolversParentTypes>['AddAvailabilityExceptionResult'];
  AvailabilityException: AvailabilityException;
  AvailabilityExceptionAdded: AvailabilityExceptionAdded;
  AvailabilityExceptionRemoved: AvailabilityExceptionRemoved;
  AvailabilityRule: AvailabilityRule;
  Int: Scalars['Int']['output'];
  AvailabilityRuleInput: AvailabilityRuleInput;
  AvailabilityRulesSet: AvailabilityRulesSet;
  Clinic: ClinicRow;
  DateTime: Scalars['DateTime']['output'];
  Doctor: DoctorRow;
  Boolean: Scalars['Boolean']['output'];
  DoctorStatusChange: Omit<DoctorStatusChange, 'doctor'> & { doctor?: Maybe<ResolversParentTypes['Doctor']> };
  DoctorStatusSet: Omit<DoctorStatusSet, 'doctor'> & { doctor: ResolversParentTypes['Doctor'] };
  InvalidInput: InvalidInput;
  Mutation: Record<PropertyKey, never>;
  NotAllowed: NotAllowed;
  Query: Record<PropertyKey, never>;
  RemoveAvailabilityExceptionInput: RemoveAvailabilityExceptionInput;
  RemoveAvailabilityExceptionResult: ResolversUnionTypes<ResolversParentTypes>['RemoveAvailabilityExceptionResult'];
  SetAvailabilityRulesInput: SetAvailabilityRulesInput;
  SetAvailabilityRulesResult: ResolversUnionTypes<ResolversParentTypes>['SetAvailabilityRulesResult'];
  SetDoctorStatusInput: SetDoctorStatusInput;
  SetDoctorStatusResult: ResolversUnionTypes<ResolversParentTypes>['SetDoctorStatusResult'];
  Subscription: Record<PropertyKey, never>;
}>;

export type AddAvailabilityExceptionResultResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['AddAvailabilityExceptionResult'] = ResolversParentTypes['AddAvailabilityExceptionResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'AvailabilityExceptionAdded' | 'InvalidInput' | 'NotAllowed', ParentType, ContextType>;
}>;

export type AvailabilityExceptionResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['AvailabilityException'] = ResolversParentTypes['AvailabilityException']> = ResolversObject<{
  doctorId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  endsAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['AvailabilityExceptionKind'], ParentType, ContextType>;
  reasonCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startsAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type AvailabilityExceptionAddedResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['AvailabilityExceptionAdded'] = ResolversParentTypes['AvailabilityExceptionAdded']> = ResolversObject<{
  exception?: Resolver<ResolversTypes['AvailabilityException'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AvailabilityExceptionRemovedResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['AvailabilityExceptionRemoved'] = ResolversParentTypes['AvailabilityExceptionRemoved']> = ResolversObject<{
  exceptionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AvailabilityRuleResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['AvailabilityRule'] = ResolversParentTypes['AvailabilityRule']> = ResolversObject<{
  endLocal?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  slotMinutes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startLocal?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  validFrom?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  validUntil?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  weekday?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AvailabilityRulesSetResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['AvailabilityRulesSet'] = ResolversParentTypes['AvailabilityRulesSet']> = ResolversObject<{
  doctorId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rules?: Resolver<Array<ResolversTypes['AvailabilityRule']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ClinicResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['Clinic'] = ResolversParentTypes['Clinic'], FederationReferenceType extends FederationReferenceTypes['Clinic'] = FederationReferenceTypes['Clinic']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Clinic']> | FederationReferenceType, FederationReferenceType, ContextType>;
  doctors?: Resolver<Array<ResolversTypes['Doctor']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  suburb?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  timeZone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DoctorResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['Doctor'] = ResolversParentTypes['Doctor'], FederationReferenceType extends FederationReferenceTypes['Doctor'] = FederationReferenceTypes['Doctor']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Doctor']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clinic?: Resolver<ResolversTypes['Clinic'], ParentType, ContextType>;
  familyName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  givenName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  offersTelehealth?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  specialty?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DoctorStatus'], ParentType, ContextType>;
}>;

export type DoctorStatusChangeResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['DoctorStatusChange'] = ResolversParentTypes['DoctorStatusChange']> = ResolversObject<{
  doctor?: Resolver<Maybe<ResolversTypes['Doctor']>, ParentType, ContextType>;
  doctorId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DoctorStatusChangeKind'], ParentType, ContextType>;
}>;

export type DoctorStatusSetResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['DoctorStatusSet'] = ResolversParentTypes['DoctorStatusSet']> = ResolversObject<{
  doctor?: Resolver<ResolversTypes['Doctor'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type InvalidInputResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['InvalidInput'] = ResolversParentTypes['InvalidInput']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addAvailabilityException?: Resolver<ResolversTypes['AddAvailabilityExceptionResult'], ParentType, ContextType, RequireFields<MutationAddAvailabilityExceptionArgs, 'input'>>;
  removeAvailabilityException?: Resolver<ResolversTypes['RemoveAvailabilityExceptionResult'], ParentType, ContextType, RequireFields<MutationRemoveAvailabilityExceptionArgs, 'input'>>;
  setAvailabilityRules?: Resolver<ResolversTypes['SetAvailabilityRulesResult'], ParentType, ContextType, RequireFields<MutationSetAvailabilityRulesArgs, 'input'>>;
  setDoctorStatus?: Resolver<ResolversTypes['SetDoctorStatusResult'], ParentType, ContextType, RequireFields<MutationSetDoctorStatusArgs, 'input'>>;
}>;

export type NotAllowedResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['NotAllowed'] = ResolversParentTypes['NotAllowed']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  availabilityExceptions?: Resolver<Array<ResolversTypes['AvailabilityException']>, ParentType, ContextType, RequireFields<QueryAvailabilityExceptionsArgs, 'doctorId' | 'from' | 'to'>>;
  availabilityRules?: Resolver<Array<ResolversTypes['AvailabilityRule']>, ParentType, ContextType, RequireFields<QueryAvailabilityRulesArgs, 'doctorId'>>;
  clinic?: Resolver<Maybe<ResolversTypes['Clinic']>, ParentType, ContextType, RequireFields<QueryClinicArgs, 'id'>>;
  clinics?: Resolver<Array<ResolversTypes['Clinic']>, ParentType, ContextType>;
  doctor?: Resolver<Maybe<ResolversTypes['Doctor']>, ParentType, ContextType, RequireFields<QueryDoctorArgs, 'id'>>;
}>;

export type RemoveAvailabilityExceptionResultResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['RemoveAvailabilityExceptionResult'] = ResolversParentTypes['RemoveAvailabilityExceptionResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'AvailabilityExceptionRemoved' | 'InvalidInput' | 'NotAllowed', ParentType, ContextType>;
}>;

export type SetAvailabilityRulesResultResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['SetAvailabilityRulesResult'] = ResolversParentTypes['SetAvailabilityRulesResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'AvailabilityRulesSet' | 'InvalidInput' | 'NotAllowed', ParentType, ContextType>;
}>;

export type SetDoctorStatusResultResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['SetDoctorStatusResult'] = ResolversParentTypes['SetDoctorStatusResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'DoctorStatusSet' | 'InvalidInput' | 'NotAllowed', ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  doctorStatusChanged?: SubscriptionResolver<ResolversTypes['DoctorStatusChange'], "doctorStatusChanged", ParentType, ContextType, RequireFields<SubscriptionDoctorStatusChangedArgs, 'clinicId'>>;
}>;

export type Resolvers<ContextType = DoctorsContext> = ResolversObject<{
  AddAvailabilityExceptionResult?: AddAvailabilityExceptionResultResolvers<ContextType>;
  AvailabilityException?: AvailabilityExceptionResolvers<ContextType>;
  AvailabilityExceptionAdded?: AvailabilityExceptionAddedResolvers<ContextType>;
  AvailabilityExceptionRemoved?: AvailabilityExceptionRemovedResolvers<ContextType>;
  AvailabilityRule?: AvailabilityRuleResolvers<ContextType>;
  AvailabilityRulesSet?: AvailabilityRulesSetResolvers<ContextType>;
  Clinic?: ClinicResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Doctor?: DoctorResolvers<ContextType>;
  DoctorStatusChange?: DoctorStatusChangeResolvers<ContextType>;
  DoctorStatusSet?: DoctorStatusSetResolvers<ContextType>;
  InvalidInput?: InvalidInputResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NotAllowed?: NotAllowedResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RemoveAvailabilityExceptionResult?: RemoveAvailabilityExceptionResultResolvers<ContextType>;
  SetAvailabilityRulesResult?: SetAvailabilityRulesResultResolvers<ContextType>;
  SetDoctorStatusResult?: SetDoctorStatusResultResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

