import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { assistant, chatTrigger } from "./support/chat";
import { expect, test } from "./support/fixtures";
import { scriptsLate } from "./support/late-scripts";
import { signInToHome } from "./support/people";

/**
 * The chat widget: a published workflow's public chat, embedded in another site with one
 * script tag, opens in a frame there and answers; a chat not allowed on other sites serves none.
 */
test("the widget: one script tag in a plain page on another site opens the chat in a frame", async ({
  page,
  admin,
  adminApi,
  baseURL,
}, testInfo) => {
  const workflowId = await assistant(adminApi);
  // A builder deploys it as a public chat that other sites may embed, in the editor.
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto(`/workflows/${workflowId}`);
  await page.getByRole("tab", { name: "Triggers" }).click();
  await page.getByRole("button", { name: "Add chat" }).click();
  const add = page.getByRole("form", { name: "New chat" });
  await add.getByLabel("Name").fill("Site chat");
  await add.getByLabel("Who may use it").selectOption({ label: "Anyone with the link" });
  await add.getByLabel("Let other sites embed it with the widget").check();
  await add.getByRole("button", { name: "Add chat" }).click();
  const card = page.getByRole("region", { name: "Site chat" });
  await expect(card.getByText(/Chat · anyone with the link/)).toBeVisible();
  // Its settings change in place (the link stays): a greeting of its own.
  await card.getByRole("button", { name: "Change settings of Site chat" }).click();
  const settings = card.getByRole("form", { name: "Settings of Site chat" });
  await settings.getByLabel("Greeting").fill("Ahoy! Ask us about kelp.");
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(settings).toHaveCount(0);
  const tag = await card.getByLabel("Widget tag of Site chat").inputValue();
  expect(tag).toMatch(
    /^<script src="http:\/\/.+\/api\/chats\/[A-Za-z0-9_-]+\/widget\.js\?t=chat_[^"]+" async><\/script>$/,
  );

  // A plain HTML page on another site (localhost, not the studio's 127.0.0.1) with that one tag.
  const site: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="en"><head><title>Kelp shop</title></head><body><h1>Kelp shop</h1>${tag}</body></html>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = site.address() as AddressInfo;
    const shop = await page.context().newPage();
    // The chat's scripts come late (a slow connection): nothing typed before they run may be lost.
    await scriptsLate(shop);
    await shop.goto(`http://localhost:${port}/`);
    await expect(shop.getByRole("heading", { name: "Kelp shop" })).toBeVisible();
    await shop.getByRole("button", { name: "Chat with us" }).click();
    const frame = shop.frameLocator('iframe[title$="(chat)"]');
    await expect(frame.getByRole("heading", { level: 1, name: "Site chat" })).toBeVisible();
    await expect(frame.getByText("Ahoy! Ask us about kelp.")).toBeVisible();
    const message = frame.getByLabel("Message", { exact: true });
    // The box takes the focus once it takes typing (until then it says the chat is getting ready).
    await expect(message).toBeFocused();
    await message.fill("Do you sell kelp?");
    await message.press("Enter");
    await expect(frame.getByText(/Response to: “Do you sell kelp\?”\./)).toBeVisible();
    await shop.screenshot({ path: testInfo.outputPath("widget.png") });
    await expect(shop.getByRole("button", { name: "Close chat" })).toHaveAttribute("aria-expanded", "true");
    // Escape in the chat closes it and gives the focus back to the button.
    await message.press("Escape");
    await expect(shop.getByRole("button", { name: "Chat with us" })).toBeFocused();
    await expect(shop.getByRole("button", { name: "Chat with us" })).toHaveAttribute("aria-expanded", "false");
    // The builder sees the message in the chat's recent messages, with its run.
    const recent = card.getByRole("list", { name: "Recent messages" });
    await expect(recent.getByText("202 Answering")).toBeVisible();
    await recent.getByText("Message", { exact: true }).click();
    await expect(recent.getByText("Do you sell kelp?")).toBeVisible();

    // A chat that may not be embedded serves no widget and no embed page.
    const other = await chatTrigger(adminApi, workflowId, { access: "public", embed: false });
    const token = new URL(other.path, baseURL).searchParams.get("t")!;
    expect(other.widgetPath).toBe("");
    const refused = await adminApi.get(`/api/chats/${other.id}/widget.js?t=${token}`);
    expect(await refused.text()).toMatch(/^console\.warn\(".*not available/);
    await shop.goto(`${baseURL}/c/${other.id}/embed?t=${token}`);
    await expect(shop.getByRole("heading", { name: "This chat is not available" })).toBeVisible();
    // The studio's own pages still refuse to be framed.
    const studioPage = await adminApi.get("/signin");
    expect(studioPage.headers()["x-frame-options"]).toBe("DENY");
    await shop.close();
  } finally {
    await new Promise((resolve) => site.close(resolve));
  }
});
