import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class UserRefParams {
  @ApiProperty({ description: 'The account’s id (UUID) or its user id (login id)', example: 'jane.doe' })
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,100}$/, { message: 'userId must be a user id or a UUID' })
  userId!: string;
}

export class ReasonDto {
  @ApiProperty({ description: 'Why: recorded in the audit log', minLength: 3, maxLength: 500, example: 'Reported a lost phone by telephone; identity confirmed (ticket 4711)' })
  @IsString({ message: 'reason must be 3 to 500 characters: say why (it is audited)' })
  @Matches(/\S/, { message: 'reason must be 3 to 500 characters: say why (it is audited)' })
  @Length(3, 500, { message: 'reason must be 3 to 500 characters: say why (it is audited)' })
  reason!: string;
}
