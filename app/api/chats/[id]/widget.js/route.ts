import { z } from "zod";
import { publicRoute } from "@/lib/api/route";
import { widgetScript } from "@/lib/triggers/chat-widget";

export const dynamic = "force-dynamic";

/**
 * The chat widget: one script tag on another site (`<script src=".../widget.js?t=<token>" async>`)
 * adds a button that opens the chat in a frame. Only a public chat whose makers turned
 * embedding on, with its link's token; otherwise (still 200: a browser runs no script of an
 * error answer) a script that says why in the console.
 */
export const GET = publicRoute(
  { params: z.object({ id: z.string().min(1).max(64) }), query: z.object({ t: z.string().max(200).optional() }) },
  async ({ params, query }) => {
    const { status, body } = await widgetScript(params.id, query.t ?? null);
    return new Response(body, {
      status,
      headers: {
        "content-type": "text/javascript; charset=utf-8",
        "cache-control": "no-store",
        "cross-origin-resource-policy": "cross-origin",
      },
    });
  },
);
