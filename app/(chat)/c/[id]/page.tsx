import { ChatPage } from "./chat-page";

export const metadata = { title: "Chat" };
export const dynamic = "force-dynamic";

export default function HostedChatPage(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <ChatPage {...props} embedded={false} />;
}
