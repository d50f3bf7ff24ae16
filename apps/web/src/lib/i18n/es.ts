import type { Catalogue } from './catalogue';

export const es: Catalogue = {
  'app.name': 'Ferry',
  'app.loading': 'Cargando…',

  'header.label': 'Tu sesión',
  'header.user': 'Sesión de',
  'header.course': 'Curso',
  'header.platform': 'Sitio Moodle',

  'value.noCourse': 'Sin curso',
  'value.unnamedUser': 'Usuario sin nombre',
  'value.untitledActivity': 'Actividad sin título',
  'value.notProvided': 'No indicado',

  'role.admin': 'Administrador',
  'role.instructor': 'Profesor',
  'role.learner': 'Estudiante',

  'home.learner.heading': 'Hola, {name}',
  'home.instructor.heading': 'Te damos la bienvenida, {name}',
  'home.course': 'Curso',
  'home.activity': 'Actividad',
  'home.noCourse': 'Abriste Ferry fuera de un curso, así que aquí no hay ningún curso que mostrar.',

  'admin.heading': 'Consola de administración',
  'admin.nav.label': 'Consola de administración',
  'admin.nav.overview': 'Resumen',
  'admin.overview.heading': 'Resumen',
  'admin.overview.name': 'Tu nombre',
  'admin.overview.email': 'Tu correo',
  'admin.overview.platform': 'Sitio Moodle',
  'admin.overview.issuer': 'Emisor',
  'admin.overview.course': 'Curso',
  'admin.overview.activity': 'Actividad',
  'admin.overview.roles': 'Tus roles',

  'deepLink.heading': 'Añadir contenido de Ferry al curso',
  'deepLink.intro': 'Moodle pidió a Ferry contenido para añadir a {course}.',
  'deepLink.noCourse': 'Moodle pidió a Ferry contenido para añadir fuera de un curso.',
  'deepLink.user': 'Solicitado por',

  'session.launchAgain.heading': 'Vuelve a abrir la actividad desde Moodle',
  'session.launchAgain.codeInvalid': 'Este acceso ya se usó o ha caducado.',
  'session.launchAgain.expired': 'Tu sesión de Ferry ha caducado.',
  'session.launchAgain.missing': 'No hay ninguna sesión de Ferry en esta ventana.',
  'session.launchAgain.action': 'Vuelve a tu curso en Moodle y abre de nuevo la actividad de Ferry.',

  'error.heading': 'Algo salió mal',
  'error.body': 'Ferry no pudo cargar esta página.',
  'error.code': 'Código de error: {code}',
  'error.retry': 'Reintentar',

  'notFound.heading': 'Página no encontrada',
  'notFound.body': 'Abre Ferry desde tu curso en Moodle.',
};
