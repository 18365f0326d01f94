import "server-only";
import { notFound, redirect } from "next/navigation";
import { AppError } from "../errors/app-error";
import { can, type Permission } from "../schemas/permissions";
import { needsSetup } from "./needs-setup";
import { currentViewer, type Viewer } from "./session";

/**
 * For pages: the signed-in viewer, or a redirect to sign-in (or to setup on an empty
 * installation). `allowed` says whether their role may see the page; the page shows an
 * access-denied panel when not, and its API refuses with 403 all the same.
 */
export async function pageViewer(permission?: Permission): Promise<{ viewer: Viewer; allowed: boolean }> {
  const viewer = await currentViewer();
  if (!viewer) redirect((await needsSetup()) ? "/setup" : "/signin");
  return { viewer, allowed: !permission || can(viewer.role, permission) };
}

/** For pages: a service read whose "not found" becomes the 404 page. */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
