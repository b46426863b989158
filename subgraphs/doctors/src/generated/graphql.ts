import { GraphQLResolveInfo } from 'graphql';
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
  _FieldSet: { input: unknown; output: unknown; }
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
  specialty: Scalars['String']['output'];
  status: DoctorStatus;
};

export type DoctorStatus =
  | 'active'
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

export type Query = {
  __typename?: 'Query';
  /** One clinic, or null when there is none with that id. Public. */
  clinic: Maybe<Clinic>;
  /** Every clinic, ordered by name. Public. */
  clinics: Array<Clinic>;
  /** One doctor, or null when there is none with that id. Public. */
  doctor: Maybe<Doctor>;
};


export type QueryClinicArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDoctorArgs = {
  id: Scalars['ID']['input'];
};

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



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Clinic: ResolverTypeWrapper<ClinicRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Doctor: ResolverTypeWrapper<DoctorRow>;
  DoctorStatus: DoctorStatus;
  DoctorStatusChange: ResolverTypeWrapper<Omit<DoctorStatusChange, 'doctor'> & { doctor?: Maybe<ResolversTypes['Doctor']> }>;
  DoctorStatusChangeKind: DoctorStatusChangeKind;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Clinic: ClinicRow;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  Doctor: DoctorRow;
  DoctorStatusChange: Omit<DoctorStatusChange, 'doctor'> & { doctor?: Maybe<ResolversParentTypes['Doctor']> };
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
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

export type DoctorResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['Doctor'] = ResolversParentTypes['Doctor'], FederationReferenceType extends FederationReferenceTypes['Doctor'] = FederationReferenceTypes['Doctor']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Doctor']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clinic?: Resolver<ResolversTypes['Clinic'], ParentType, ContextType>;
  familyName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  givenName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  specialty?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DoctorStatus'], ParentType, ContextType>;
}>;

export type DoctorStatusChangeResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['DoctorStatusChange'] = ResolversParentTypes['DoctorStatusChange']> = ResolversObject<{
  doctor?: Resolver<Maybe<ResolversTypes['Doctor']>, ParentType, ContextType>;
  doctorId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DoctorStatusChangeKind'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  clinic?: Resolver<Maybe<ResolversTypes['Clinic']>, ParentType, ContextType, RequireFields<QueryClinicArgs, 'id'>>;
  clinics?: Resolver<Array<ResolversTypes['Clinic']>, ParentType, ContextType>;
  doctor?: Resolver<Maybe<ResolversTypes['Doctor']>, ParentType, ContextType, RequireFields<QueryDoctorArgs, 'id'>>;
}>;

export type SubscriptionResolvers<ContextType = DoctorsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  doctorStatusChanged?: SubscriptionResolver<ResolversTypes['DoctorStatusChange'], "doctorStatusChanged", ParentType, ContextType, RequireFields<SubscriptionDoctorStatusChangedArgs, 'clinicId'>>;
}>;

export type Resolvers<ContextType = DoctorsContext> = ResolversObject<{
  Clinic?: ClinicResolvers<ContextType>;
  Doctor?: DoctorResolvers<ContextType>;
  DoctorStatusChange?: DoctorStatusChangeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

