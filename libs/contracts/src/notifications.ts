/** An in-app notice, as the notifications service keeps it and the gateway shows it. */
export interface NoticeView {
  id: string;
  /** The lifecycle event: the email template it accompanies (e.g. "request-decided"). */
  kind: string;
  title: string;
  body: string;
  /** Where the recipient acts on it in the web UI. */
  link: string;
  /** Shown at once as a pop-up: the deciding approver's confirmation (rule 13). */
  popup: boolean;
  createdAt: string;
  readAt: string | null;
}

export interface ListNoticesQuery {
  userId: string;
  unreadOnly: boolean;
  limit: number;
}

export interface MarkNoticeReadCommand {
  userId: string;
  noticeId: string;
}

/** Notices of every user created after `since` (the notifications database's clock, ISO 8601). */
export interface NoticeFeedQuery {
  since?: string;
  limit: number;
}
export interface NoticeFeedItem extends NoticeView {
  userId: string;
}
export interface NoticeFeedPage {
  notices: NoticeFeedItem[];
  /** The database's time when the page was read: the next `since` (minus a settle margin). */
  now: string;
}
