"use client";

import Link from "next/link";
import { useActionState, useRef, useState } from "react";
import ui from "../ui.module.css";
import { initialFormState, type FormAction, type FormState } from "./formState";

export interface ExperimentRowData {
  id: string;
  /** The URL segment; stays the same across renames. */
  slug: string;
  title: string;
  runCount: number;
  /** Already formatted on the server, so the row never re-formats dates on the client. */
  updated: string;
}

interface Props {
  experiment: ExperimentRowData;
  rename: FormAction;
  remove: FormAction;
}

/** One experiment in the list, with inline rename and a confirmed delete. */
export function ExperimentRow({ experiment, rename, remove }: Props) {
  const [editing, setEditing] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const [renameState, renameAction, renaming] = useActionState<FormState, FormData>(
    async (prev, data) => {
      const next = await rename(prev, data);
      if (next.ok) setEditing(false);
      return next;
    },
    initialFormState,
  );
  const [removeState, removeAction, removing] = useActionState(remove, initialFormState);

  return (
    <tr data-experiment-id={experiment.id}>
      <td className={ui.wrap}>
        {editing ? (
          <form action={renameAction} className={ui.row} aria-label={`Rename ${experiment.title}`}>
            <input type="hidden" name="id" value={experiment.id} />
            <input
              type="text"
              name="title"
              className={ui.input}
              defaultValue={experiment.title}
              aria-label="New title"
              maxLength={200}
              required
              autoFocus
            />
            <button type="submit" className="primary" disabled={renaming}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            {renameState.error ? <span className={ui.error}>{renameState.error}</span> : null}
          </form>
        ) : (
          <Link href={`/experiments/${experiment.slug}`}>{experiment.title}</Link>
        )}
      </td>
      <td className="num">{experiment.runCount}</td>
      <td className="muted">{experiment.updated}</td>
      <td className={ui.actions}>
        <div className={ui.rowEnd}>
          <button type="button" onClick={() => setEditing(true)} disabled={editing}>
            Rename
          </button>
          <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>
            Delete
          </button>
        </div>
        <dialog ref={dialog} className={ui.dialog} aria-label={`Delete ${experiment.title}`}>
          <form action={removeAction}>
            <input type="hidden" name="id" value={experiment.id} />
            <p>
              Delete <strong>{experiment.title}</strong>?
            </p>
            <p className="muted">{consequence(experiment.runCount)}</p>
            {removeState.error ? <p className={ui.error}>{removeState.error}</p> : null}
            <div className={ui.rowEnd}>
              <button type="button" onClick={() => dialog.current?.close()} autoFocus>
                Cancel
              </button>
              <button type="submit" className={ui.dangerSolid} disabled={removing}>
                {removing ? "Deleting…" : "Delete"}
              </button>
            </div>
          </form>
        </dialog>
      </td>
    </tr>
  );
}

function consequence(runs: number): string {
  if (runs === 0) return "It has no runs. This cannot be undone.";
  const what = runs === 1 ? "Its run" : `All ${runs} runs`;
  return `${what}, with metrics, samples and checkpoints, will be removed too. This cannot be undone.`;
}
