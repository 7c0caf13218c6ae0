import { Injectable } from '@nestjs/common';
import { DomainError, ERROR_CODES, type MeView } from '@am/contracts';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async me(userId: string): Promise<MeView> {
    const user = await this.users.findWithRoles(userId);
    if (!user) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'This account no longer exists');
    return {
      id: user.id,
      loginId: user.loginId,
      displayName: user.displayName,
      email: user.email,
      platformRole: user.platformRole,
      roles: user.roles.map((r) => ({
        role: r.role,
        organization: { id: r.organization.id, kind: r.organization.kind, identifier: r.organization.identifier, name: r.organization.name },
      })),
    };
  }
}
