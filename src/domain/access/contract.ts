import { z } from 'zod';
import { ROLES } from '../../shared/authz';
import { areaCode, pageQuery } from '../../shared/contract';

export const Role = z.enum(ROLES);

export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,40}$/, { message: 'username: 3–40 letters, digits, _ . -' });

export const LoginBody = z
  .object({
    username: z.string().trim().min(1).max(60),
    password: z.string().min(1).max(200),
  })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const AddUserBody = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(50),
    role: Role,
    password: z.string().min(1).max(200),
    areaCode: areaCode.optional(),
    departmentCode: z.string().regex(/^[a-z][a-z0-9_-]{1,40}$/).optional(),
    phone: z.string().trim().regex(/^[0-9+\- ]{3,20}$/).optional(),
    isDemo: z.boolean().optional(),
  })
  .strict();
export type AddUserBody = z.infer<typeof AddUserBody>;

export const ListUsersQuery = pageQuery
  .extend({
    q: z.string().trim().max(50).optional(),
    role: Role.optional(),
  })
  .strict();
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;

export const UserIdParams = z.object({ id: z.uuid() }).strict();

export interface MeView {
  id: string;
  username: string;
  displayName: string;
  role: z.infer<typeof Role>;
  areaCode: string | null;
  areaName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  permissions: string[];
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: z.infer<typeof Role>;
  areaCode: string | null;
  areaName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  phone: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  isDemo: boolean;
  createdAt: string;
}
