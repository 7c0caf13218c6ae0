// Documentation only: the answers of the public account routes (accounts.controller.ts).
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'AccountRequestAccepted', description: 'The same answer whether or not an account (or an email to send) was found' })
export class AccountRequestAcceptedResponse {
  @ApiProperty({ example: 'Check your email to finish registering: we sent a message to the address you gave.' }) message!: string;
}

@ApiSchema({ name: 'AccountLinkUsed' })
export class AccountLinkUsedResponse {
  @ApiProperty({ description: 'The user id of the account the link was for', example: 'jane.doe' }) userId!: string;
  @ApiProperty({ example: 'Your email address is verified. Sign in to set up two-factor authentication.' }) message!: string;
}
