/** The tickets module's public face: the only file other modules import. */
export * as ticketsService from './service';
export type { TicketsDeps, TicketView } from './service';
export { ticketsRoutes } from './routes';
export { seedTicketCatalogue } from './catalogue';
export { CreateTicketBody, ListTicketsQuery } from './contract';
export * from './core/lifecycle';
export { publicTicketRoutes } from './public-routes';
export { LoggingSmsSender, type SmsSender } from './public';
export * as ticketStatsService from './stats';
export * as feed from './feed';
export * as analysisFeed from './analysis-feed';
// For 民生微实事 (micro): the residents' phone-code check and the photo checks.
export { consumeResidentPhoneCode } from './resident-phone';
export { sniffImage, safeFileName, MAX_ATTACHMENT_BYTES, type ImageType } from './core/attachments';
