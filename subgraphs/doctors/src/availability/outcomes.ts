export { invalid, notAllowed, type InvalidInput, type NotAllowed } from '@clinic/contracts';
