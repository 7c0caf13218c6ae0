import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByLoginId(loginId: string) {
    return this.prisma.user.findUnique({ where: { loginId } });
  }

  findById(id: string) {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findWithRoles(id: string) {
    return this.prisma.user.findUnique({
      where: { id },
      include: { roles: { include: { organization: true }, orderBy: { grantedAt: 'asc' } } },
    });
  }
}
