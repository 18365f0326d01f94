import { ChatPage } from "../chat-page";

export const metadata = { title: "Chat" };
export const dynamic = "force-dynamic";

/** The chat in another site's frame (the widget's): a public chat whose makers let it be embedded. */
export default function EmbeddedChatPage(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <ChatPage {...props} embedded />;
}
