// What a form's server action answers: the client form shows `error` next to the field and closes on `ok`.
export interface FormState {
  ok: boolean;
  error?: string;
}

export const initialFormState: FormState = { ok: false };

/** A server action as the forms receive it: bound by React's useActionState. */
export type FormAction = (prev: FormState, data: FormData) => Promise<FormState>;
