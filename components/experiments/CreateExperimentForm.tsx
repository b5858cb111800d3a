"use client";

import { useActionState } from "react";
import ui from "../ui.module.css";
import { initialFormState, type FormAction } from "./formState";

/** The "new experiment" form; the action validates on the server and revalidates the list. */
export function CreateExperimentForm({ action }: { action: FormAction }) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  return (
    <form action={formAction} aria-label="New experiment">
      <div className={ui.row}>
        <input
          type="text"
          name="title"
          className={ui.input}
          placeholder="New experiment title"
          aria-label="Experiment title"
          maxLength={200}
          required
        />
        <button type="submit" className="primary" disabled={pending}>
          {pending ? "Creating…" : "Create"}
        </button>
      </div>
      {state.error ? (
        <p className={ui.error} role="alert">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
