import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { Slot as SlotRow, Appointment as AppointmentRow } from './prisma/client';
import { DoctorReference } from '../doctor-reference';
import { AppointmentsContext } from '../context';
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

/** An appointment. The patient is known here only by the pseudonymous clientId. */
export type Appointment = {
  __typename?: 'Appointment';
  clientId: Scalars['ID']['output'];
  doctor: Doctor;
  end: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  reasonForVisit: Maybe<Scalars['String']['output']>;
  slot: Slot;
  start: Scalars['DateTime']['output'];
  status: AppointmentStatus;
};

export type AppointmentBooked = {
  __typename?: 'AppointmentBooked';
  appointment: Appointment;
};

/** FHIR R4 appointment status (the subset this product uses). */
export type AppointmentStatus =
  | 'booked'
  | 'cancelled'
  | 'fulfilled'
  | 'noshow'
  | 'pending';

/** Something happened to one of the signed-in patient's appointments. */
export type AppointmentUpdate = {
  __typename?: 'AppointmentUpdate';
  appointment: Maybe<Appointment>;
  appointmentId: Scalars['ID']['output'];
  kind: AppointmentUpdateKind;
  occurredAt: Scalars['DateTime']['output'];
};

/** Why an appointment update was sent. */
export type AppointmentUpdateKind =
  | 'booked'
  | 'cancelled'
  | 'needs_attention'
  | 'reassigned'
  | 'rescheduled';

export type BookAppointmentInput = {
  /** The patient booked for. Patients book for themselves and leave it out; clinic staff must give it. */
  clientId?: InputMaybe<Scalars['ID']['input']>;
  /** A key the client makes once per intended booking; repeating it returns the first result. */
  idempotencyKey: Scalars['String']['input'];
  /** Why the patient is coming, at most 200 characters. No clinical notes. */
  reasonForVisit?: InputMaybe<Scalars['String']['input']>;
  slotId: Scalars['ID']['input'];
};

export type BookAppointmentResult = AppointmentBooked | InvalidInput | NotAllowed | SlotUnavailable;

export type Doctor = {
  __typename?: 'Doctor';
  /** The doctor's free slots from `from` (default now) for `days` days (1 to 31, default 7). */
  freeSlots: Array<Slot>;
  id: Scalars['ID']['output'];
};


export type DoctorFreeSlotsArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
};

/** The input broke a rule; `field` names it. */
export type InvalidInput = {
  __typename?: 'InvalidInput';
  field: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Books a free slot. Outcomes a client must handle are members of the result union. */
  bookAppointment: BookAppointmentResult;
};


export type MutationBookAppointmentArgs = {
  input: BookAppointmentInput;
};

/** The caller's role may not do this. */
export type NotAllowed = {
  __typename?: 'NotAllowed';
  message: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One appointment the caller may see, or null. */
  appointment: Maybe<Appointment>;
  /**
   * Appointments earliest first, at most `first` (1 to 200), after the appointment id `after`.
   * A patient sees only their own; clinic staff see their clinic's; a system administrator sees all.
   */
  appointments: Array<Appointment>;
  /** Free slots in a time window, earliest first, at most `first` (1 to 200). Public. */
  freeSlots: Array<Slot>;
  /** One slot by id, or null. Public. */
  slot: Maybe<Slot>;
};


export type QueryAppointmentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAppointmentsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryFreeSlotsArgs = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  doctorId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QuerySlotArgs = {
  id: Scalars['ID']['input'];
};

/** A bookable period of one doctor's time. */
export type Slot = {
  __typename?: 'Slot';
  doctor: Doctor;
  end: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  start: Scalars['DateTime']['output'];
  status: SlotStatus;
};

/** A slot's status changed. `slot` is read when the event is delivered, so it may already be newer. */
export type SlotAvailabilityChange = {
  __typename?: 'SlotAvailabilityChange';
  occurredAt: Scalars['DateTime']['output'];
  slot: Maybe<Slot>;
  slotId: Scalars['ID']['output'];
  /** The status the event reported. */
  status: SlotStatus;
};

/** FHIR R4 slot status. */
export type SlotStatus =
  | 'busy'
  | 'busy_tentative'
  | 'busy_unavailable'
  | 'free';

/** The slot is taken, held, unavailable or already past. */
export type SlotUnavailable = {
  __typename?: 'SlotUnavailable';
  message: Scalars['String']['output'];
  slotId: Scalars['ID']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The signed-in patient's bookings, cancellations, reschedules and re-assignments. Patients only. */
  myAppointmentUpdates: AppointmentUpdate;
  /** Slots whose status changes within [from, to), optionally of one clinic or doctor. Public. */
  slotAvailabilityChanged: SlotAvailabilityChange;
};


export type SubscriptionSlotAvailabilityChangedArgs = {
  clinicId?: InputMaybe<Scalars['ID']['input']>;
  doctorId?: InputMaybe<Scalars['ID']['input']>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
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
  Appointment: Appointment;
  Doctor: Doctor;
  Slot: Slot;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Appointment:
    ( { __typename: 'Appointment' }
    & GraphQLRecursivePick<FederationTypes['Appointment'], {"id":true}> );
  Doctor:
    ( { __typename: 'Doctor' }
    & GraphQLRecursivePick<FederationTypes['Doctor'], {"id":true}> );
  Slot:
    ( { __typename: 'Slot' }
    & GraphQLRecursivePick<FederationTypes['Slot'], {"id":true}> );
}>;

/** Mapping of union types */
export type ResolversUnionTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  BookAppointmentResult:
    | ( Omit<AppointmentBooked, 'appointment'> & { appointment: _RefType['Appointment'] } )
    | ( InvalidInput )
    | ( NotAllowed )
    | ( SlotUnavailable )
  ;
}>;


/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Appointment: ResolverTypeWrapper<AppointmentRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AppointmentBooked: ResolverTypeWrapper<Omit<AppointmentBooked, 'appointment'> & { appointment: ResolversTypes['Appointment'] }>;
  AppointmentStatus: AppointmentStatus;
  AppointmentUpdate: ResolverTypeWrapper<Omit<AppointmentUpdate, 'appointment'> & { appointment?: Maybe<ResolversTypes['Appointment']> }>;
  AppointmentUpdateKind: AppointmentUpdateKind;
  BookAppointmentInput: BookAppointmentInput;
  BookAppointmentResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['BookAppointmentResult']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Doctor: ResolverTypeWrapper<DoctorReference>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  InvalidInput: ResolverTypeWrapper<InvalidInput>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NotAllowed: ResolverTypeWrapper<NotAllowed>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Slot: ResolverTypeWrapper<SlotRow>;
  SlotAvailabilityChange: ResolverTypeWrapper<Omit<SlotAvailabilityChange, 'slot'> & { slot?: Maybe<ResolversTypes['Slot']> }>;
  SlotStatus: SlotStatus;
  SlotUnavailable: ResolverTypeWrapper<SlotUnavailable>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Appointment: AppointmentRow;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  AppointmentBooked: Omit<AppointmentBooked, 'appointment'> & { appointment: ResolversParentTypes['Appointment'] };
  AppointmentUpdate: Omit<AppointmentUpdate, 'appointment'> & { appointment?: Maybe<ResolversParentTypes['Appointment']> };
  BookAppointmentInput: BookAppointmentInput;
  BookAppointmentResult: ResolversUnionTypes<ResolversParentTypes>['BookAppointmentResult'];
  DateTime: Scalars['DateTime']['output'];
  Doctor: DoctorReference;
  Int: Scalars['Int']['output'];
  InvalidInput: InvalidInput;
  Mutation: Record<PropertyKey, never>;
  NotAllowed: NotAllowed;
  Query: Record<PropertyKey, never>;
  Slot: SlotRow;
  SlotAvailabilityChange: Omit<SlotAvailabilityChange, 'slot'> & { slot?: Maybe<ResolversParentTypes['Slot']> };
  SlotUnavailable: SlotUnavailable;
  Subscription: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
}>;

export type AppointmentResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Appointment'] = ResolversParentTypes['Appointment'], FederationReferenceType extends FederationReferenceTypes['Appointment'] = FederationReferenceTypes['Appointment']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Appointment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clientId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  doctor?: Resolver<ResolversTypes['Doctor'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reasonForVisit?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  slot?: Resolver<ResolversTypes['Slot'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AppointmentStatus'], ParentType, ContextType>;
}>;

export type AppointmentBookedResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['AppointmentBooked'] = ResolversParentTypes['AppointmentBooked']> = ResolversObject<{
  appointment?: Resolver<ResolversTypes['Appointment'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AppointmentUpdateResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['AppointmentUpdate'] = ResolversParentTypes['AppointmentUpdate']> = ResolversObject<{
  appointment?: Resolver<Maybe<ResolversTypes['Appointment']>, ParentType, ContextType>;
  appointmentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['AppointmentUpdateKind'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type BookAppointmentResultResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['BookAppointmentResult'] = ResolversParentTypes['BookAppointmentResult']> = ResolversObject<{
  __resolveType: TypeResolveFn<'AppointmentBooked' | 'InvalidInput' | 'NotAllowed' | 'SlotUnavailable', ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DoctorResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Doctor'] = ResolversParentTypes['Doctor'], FederationReferenceType extends FederationReferenceTypes['Doctor'] = FederationReferenceTypes['Doctor']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Doctor']> | FederationReferenceType, FederationReferenceType, ContextType>;
  freeSlots?: Resolver<Array<ResolversTypes['Slot']>, ParentType, ContextType, RequireFields<DoctorFreeSlotsArgs, 'days'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type InvalidInputResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['InvalidInput'] = ResolversParentTypes['InvalidInput']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  bookAppointment?: Resolver<ResolversTypes['BookAppointmentResult'], ParentType, ContextType, RequireFields<MutationBookAppointmentArgs, 'input'>>;
}>;

export type NotAllowedResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['NotAllowed'] = ResolversParentTypes['NotAllowed']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  appointment?: Resolver<Maybe<ResolversTypes['Appointment']>, ParentType, ContextType, RequireFields<QueryAppointmentArgs, 'id'>>;
  appointments?: Resolver<Array<ResolversTypes['Appointment']>, ParentType, ContextType, RequireFields<QueryAppointmentsArgs, 'first'>>;
  freeSlots?: Resolver<Array<ResolversTypes['Slot']>, ParentType, ContextType, RequireFields<QueryFreeSlotsArgs, 'first' | 'from' | 'to'>>;
  slot?: Resolver<Maybe<ResolversTypes['Slot']>, ParentType, ContextType, RequireFields<QuerySlotArgs, 'id'>>;
}>;

export type SlotResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Slot'] = ResolversParentTypes['Slot'], FederationReferenceType extends FederationReferenceTypes['Slot'] = FederationReferenceTypes['Slot']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Slot']> | FederationReferenceType, FederationReferenceType, ContextType>;
  doctor?: Resolver<ResolversTypes['Doctor'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SlotStatus'], ParentType, ContextType>;
}>;

export type SlotAvailabilityChangeResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['SlotAvailabilityChange'] = ResolversParentTypes['SlotAvailabilityChange']> = ResolversObject<{
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  slot?: Resolver<Maybe<ResolversTypes['Slot']>, ParentType, ContextType>;
  slotId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SlotStatus'], ParentType, ContextType>;
}>;

export type SlotUnavailableResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['SlotUnavailable'] = ResolversParentTypes['SlotUnavailable']> = ResolversObject<{
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slotId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = AppointmentsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  myAppointmentUpdates?: SubscriptionResolver<ResolversTypes['AppointmentUpdate'], "myAppointmentUpdates", ParentType, ContextType>;
  slotAvailabilityChanged?: SubscriptionResolver<ResolversTypes['SlotAvailabilityChange'], "slotAvailabilityChanged", ParentType, ContextType, RequireFields<SubscriptionSlotAvailabilityChangedArgs, 'from' | 'to'>>;
}>;

export type Resolvers<ContextType = AppointmentsContext> = ResolversObject<{
  Appointment?: AppointmentResolvers<ContextType>;
  AppointmentBooked?: AppointmentBookedResolvers<ContextType>;
  AppointmentUpdate?: AppointmentUpdateResolvers<ContextType>;
  BookAppointmentResult?: BookAppointmentResultResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Doctor?: DoctorResolvers<ContextType>;
  InvalidInput?: InvalidInputResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NotAllowed?: NotAllowedResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Slot?: SlotResolvers<ContextType>;
  SlotAvailabilityChange?: SlotAvailabilityChangeResolvers<ContextType>;
  SlotUnavailable?: SlotUnavailableResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

