import "server-only";
import { AppError } from "../errors/app-error";
import { enabledChat } from "./chat";
import { sameSecret } from "./secret";

/**
 * The widget's script for a chat: a button at the page's bottom right that opens and closes
 * the chat (`/c/:id/embed`) in a frame beside it. Served only for a public chat whose makers
 * turned embedding on, asked for with its link's token; anything else gets a script that only
 * says, in the console, that the chat is not available (a page never breaks on it). The frame
 * is made when the button is first pressed, so a page view costs the studio nothing.
 */
export async function widgetScript(id: string, token: string | null): Promise<{ status: number; body: string }> {
  const chat = await enabledChat(id).catch((e: unknown) => (e instanceof AppError ? null : Promise.reject(e)));
  if (!chat || chat.config.access !== "public" || !chat.config.embed || !token || !sameSecret(token, chat.token))
    // 200 all the same: a browser runs no script of an error answer, and the page's author should see why.
    return {
      status: 200,
      body: 'console.warn("Flowdeck: this chat is not available here (turned off, not embeddable, or the link is not right).");\n',
    };
  const settings = JSON.stringify({ path: `/c/${chat.id}/embed?t=${encodeURIComponent(token)}`, title: chat.title });
  return { status: 200, body: WIDGET.replace("__SETTINGS__", () => settings.replace(/</g, "\\u003c")) };
}

/** Plain browser JavaScript, no dependencies; it reads the studio's address from its own script tag. */
const WIDGET = `(function () {
  var settings = __SETTINGS__;
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  function mount() {
    var frame = null;
    var label = script.getAttribute("data-label") || "Chat with us";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("style", "position:fixed;right:20px;bottom:20px;padding:12px 18px;border:0;border-radius:999px;background:#4338ca;color:#fff;font:600 15px/1.2 system-ui,sans-serif;box-shadow:0 6px 16px rgba(15,23,42,.3);cursor:pointer;z-index:2147483647");
    function toggle(open) {
      frame.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "Close chat" : label;
      if (open) frame.focus();
      else button.focus();
    }
    // The chat asks to close (Escape in it); only the studio's own frame is listened to.
    window.addEventListener("message", function (event) {
      if (frame && event.origin === origin && event.data && event.data.flowdeck === "chat-close") toggle(false);
    });
    button.addEventListener("click", function () {
      if (!frame) {
        frame = document.createElement("iframe");
        frame.id = "flowdeck-chat-frame";
        frame.src = origin + settings.path;
        frame.title = settings.title + " (chat)";
        frame.hidden = true;
        frame.setAttribute("style", "position:fixed;right:20px;bottom:84px;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 110px));border:0;border-radius:12px;box-shadow:0 10px 30px rgba(15,23,42,.25);background:#fff;z-index:2147483646");
        document.body.insertBefore(frame, button);
        button.setAttribute("aria-controls", frame.id);
      }
      toggle(frame.hidden);
    });
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
`;
