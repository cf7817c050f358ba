import type { FastifyPluginAsync } from 'fastify';
import { listCategories } from '../../agencies/catalogue-store.ts';
import { formatOf, Open311Error, send, xmlDocument } from './format.ts';

/** The service definition's attributes: where the complaint goes, and what the citizen consents to. */
const ATTRIBUTES = [
  {
    variable: true,
    code: 'agency_id',
    datatype: 'number',
    required: false,
    datatype_description: 'id from /api/v1/agencies',
    order: 1,
    description: 'The agency (unit) complained about',
  },
  {
    variable: true,
    code: 'county_id',
    datatype: 'number',
    required: false,
    datatype_description: 'id from /api/v1/divisions',
    order: 2,
    description: 'The county; else the province is taken from lat/long',
  },
  {
    variable: true,
    code: 'named_employee',
    datatype: 'string',
    required: false,
    datatype_description: '2–120 characters once titles (Mr, Dr, آقای…) are removed',
    order: 3,
    description: 'The name or position of the employee the complaint is about, if the citizen knows it; seen only by inspectors, never published',
  },
  {
    variable: true,
    code: 'public',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: 'true: the citizen agrees to list the request publicly (no personal data); default false',
    order: 4,
    description: 'May this request appear in public lists? Confidential complaints never do.',
    values: [
      { key: 'false', name: 'خیر، عمومی نشود' },
      { key: 'true', name: 'بله، بدون مشخصات من عمومی شود' },
    ],
  },
  {
    variable: true,
    code: 'share_identity',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: 'true: the citizen agrees that the office complained about sees their name and phone; default false',
    order: 5,
    description: 'May the office complained about see who complained? The 128 centre and supervisors always can.',
    values: [
      { key: 'false', name: 'خیر، مشخصات من به دستگاه داده نشود' },
      { key: 'true', name: 'بله، دستگاه مشخصات مرا ببیند' },
    ],
  },
];

/** GET services and a service's definition: services are our complaint categories. */
export const open311Services: FastifyPluginAsync = async (app) => {
  const { db } = app.deps;
  app.get<{ Params: { format: string } }>('/services.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const categories = await listCategories(db.pool);
    return send(
      reply,
      format,
      'services',
      'service',
      categories.map((c) => ({
        service_code: c.code,
        service_name: c.nameFa,
        description: c.descriptionFa,
        metadata: true,
        type: 'realtime',
        keywords: [c.nameEn, c.indicatorCode].join(','),
        group: c.urgent ? 'فوری' : 'عادی',
      })),
    );
  });

  app.get<{ Params: { code: string; format: string } }>('/services/:code.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const category = (await listCategories(db.pool)).find((c) => c.code === request.params.code);
    if (!category) throw new Open311Error(404, 'service_code not found');
    const definition = { service_code: category.code, attributes: ATTRIBUTES };
    if (format === 'xml') {
      const attributes = ATTRIBUTES.map((a) => ('values' in a ? { ...a, values: { value: a.values } } : a));
      return reply.type('text/xml; charset=utf-8').send(xmlDocument({ service_definition: { ...definition, attributes: { attribute: attributes } } }));
    }
    return definition;
  });
};
