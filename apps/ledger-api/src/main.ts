import { x } from "#domain"; console.log(x);
