export { trustedDocuments, type TrustedDocuments } from './trusted-documents';
export {
  DEFAULT_TRUSTED_DOCUMENTS,
  type TrustedDocumentsMode,
  type TrustedDocumentsOptions,
} from './options';
