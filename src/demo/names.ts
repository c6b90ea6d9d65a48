/**
 * Word lists for the demo district: made-up people, businesses and streets in the towns of a
 * north-central Washington public utility district. Ours, so the demo needs no faker package.
 */

export interface Town {
  city: string;
  postalCode: string;
  /** Area code on premises (weather alerts, field routes) and the prefix of route codes. */
  area: string;
  /** Share of the district's premises. */
  weight: number;
  /** Meter-reading routes in town. */
  routes: number;
  /** Landline exchanges (509-XXX). */
  exchanges: readonly string[];
  streets: readonly string[];
}

/** Streets found in most towns; each town adds its own. */
const commonStreets = [
  'Main St', 'N Main St', 'S Main St', 'Maple St', 'Cherry St', 'Apple Blossom Dr', 'Pine St', 'Cedar St', 'Elm St',
  'Birch Ln', 'Aspen Ct', 'Orchard Ave', 'Park Ave', 'Washington St', 'Jefferson St', 'Lincoln Ave', 'Grant Rd',
  'Columbia St', 'River Rd', 'Canyon View Dr', 'Ridge Dr', 'Sunset Dr', 'Highland Dr', 'Hillcrest Ave', 'Valley View Dr',
  'Meadow Ln', 'Willow Way', 'Poplar Ave', 'Spruce St', 'Alder St', '1st St', '2nd St', '3rd St', '4th St', '5th St',
  '6th St', '7th St', '8th St', '9th St', '10th St', 'School St', 'Mill St', 'Railroad Ave', 'Quail Hollow Ln',
  'Bluebird Ln', 'Chinook Ct', 'Sage Hills Dr', 'Pear Tree Ln', 'Golden Delicious Ave', 'Red Apple Rd',
] as const;

export const towns: readonly Town[] = [
  {
    city: 'Wenatchee', postalCode: '98801', area: 'WEN', weight: 34, routes: 24, exchanges: ['662', '663', '664', '665'],
    streets: [...commonStreets, 'N Wenatchee Ave', 'S Wenatchee Ave', 'N Chelan Ave', 'S Chelan Ave', 'N Mission St', 'S Mission St',
      'Orondo Ave', 'Okanogan Ave', 'N Miller St', 'S Miller St', 'Western Ave', 'Fifth St', 'Ninth St', 'Methow St', 'Peachey St',
      'Russell St', 'Kittitas St', 'Yakima St', 'Crawford Ave', 'Springwater Ave', 'Skyline Dr', 'Castlerock Ave', 'Elliott Ave',
      'Maiden Ln', 'Number 1 Canyon Rd', 'Number 2 Canyon Rd', 'Fuller St', 'Cashmere St', 'Millerdale Ave', 'Rolling Hills Ln'],
  },
  {
    city: 'East Wenatchee', postalCode: '98802', area: 'EWN', weight: 18, routes: 14, exchanges: ['884', '886'],
    streets: [...commonStreets, 'Valley Mall Pkwy', 'Eastmont Ave', 'NE 9th St', 'NE 5th St', 'Baker Ave', 'Kentucky Ave', 'Nile Ave',
      'Sunset Hwy', 'N Georgia Ave', 'S Georgia Ave', 'Highline Dr', 'Fancher Heights Blvd', 'Gilbert Ave', 'Dale Ave', 'Grover Ln'],
  },
  {
    city: 'Cashmere', postalCode: '98815', area: 'CSH', weight: 8, routes: 6, exchanges: ['782'],
    streets: [...commonStreets, 'Cottage Ave', 'Aplets Way', 'Division St', 'Pioneer Ave', 'Woodring St', 'Sunset Ave', 'Evergreen Dr', 'Vale St'],
  },
  {
    city: 'Leavenworth', postalCode: '98826', area: 'LVW', weight: 8, routes: 6, exchanges: ['548'],
    streets: [...commonStreets, 'Front St', 'Commercial St', 'Icicle Rd', 'Ski Hill Dr', 'Titus Rd', 'Evans St', 'Ward St', 'Birch St', 'Benton St'],
  },
  {
    city: 'Chelan', postalCode: '98816', area: 'CHL', weight: 10, routes: 8, exchanges: ['682'],
    streets: [...commonStreets, 'E Woodin Ave', 'W Woodin Ave', 'Sanders St', 'Johnson Ave', 'Emerson St', 'Saint Andrews Dr', 'Lakeshore Dr', 'Farnham St', 'Bradley St'],
  },
  {
    city: 'Entiat', postalCode: '98822', area: 'ENT', weight: 4, routes: 3, exchanges: ['784'],
    streets: [...commonStreets, 'Shearson St', 'Kinzel St', 'Lakeshore Dr', 'Entiat Way', 'Mad River Rd'],
  },
  {
    city: 'Malaga', postalCode: '98828', area: 'MAL', weight: 3, routes: 2, exchanges: ['663'],
    streets: [...commonStreets, 'Malaga Alcoa Hwy', 'West Malaga Rd', 'Hawley St', 'Kingsbury St'],
  },
  {
    city: 'Manson', postalCode: '98831', area: 'MAN', weight: 5, routes: 4, exchanges: ['687'],
    streets: [...commonStreets, 'Wapato Way', 'Quetilquasoon Rd', 'Totem Pole Rd', 'Manson Blvd', 'Lakeside St'],
  },
  {
    city: 'Peshastin', postalCode: '98847', area: 'PSH', weight: 3, routes: 2, exchanges: ['548'],
    streets: [...commonStreets, 'Saunders Rd', 'Allen Ln', 'Hansel Ln'],
  },
  {
    city: 'Monitor', postalCode: '98836', area: 'MON', weight: 2, routes: 2, exchanges: ['782'],
    streets: [...commonStreets, 'Cotlets Way', 'Stemm Rd', 'Monitor Rd'],
  },
  {
    city: 'Orondo', postalCode: '98843', area: 'ORO', weight: 2, routes: 2, exchanges: ['784'],
    streets: ['Hwy 97', 'Orondo Ave', 'School St', 'Cherry St', 'River Rd', 'Orchard Ave', 'Ridge Dr'],
  },
];

/** Roads outside town: farms, orchards, cabins, irrigation pumps. No district water there. */
export const ruralRoads = [
  'Squilchuck Rd', 'Stemilt Loop Rd', 'Mission Creek Rd', 'Entiat River Rd', 'Chumstick Hwy', 'Icicle Rd', 'Navarre Coulee Rd',
  'Number 2 Canyon Rd', 'Sunnyslope Rd', 'Easy St', 'Hwy 97A', 'Hwy 2', 'Blewett Pass Hwy', 'Nahahum Canyon Rd', 'Brender Canyon Rd',
  'Eagle Creek Rd', 'Ollala Canyon Rd', 'Mountain Home Rd', 'Wenatchee Heights Rd', 'Boyd Rd', 'Joe Miller Rd', 'Swakane Canyon Rd',
  'Roaring Creek Rd', 'Union Valley Rd', 'Boyd Loop Rd', 'Fisk Rd', 'Apple Acres Rd', 'Mud Creek Rd', 'Derby Canyon Rd',
] as const;

/** Cities for mail sent outside the district (snowbirds, owners who live elsewhere). */
export const mailingCities = [
  { city: 'Seattle', state: 'WA', postalCode: '98103' },
  { city: 'Spokane', state: 'WA', postalCode: '99201' },
  { city: 'Bellevue', state: 'WA', postalCode: '98004' },
  { city: 'Yakima', state: 'WA', postalCode: '98902' },
  { city: 'Moses Lake', state: 'WA', postalCode: '98837' },
  { city: 'Mesa', state: 'AZ', postalCode: '85201' },
  { city: 'Boise', state: 'ID', postalCode: '83702' },
  { city: 'Portland', state: 'OR', postalCode: '97205' },
] as const;

export const mobileExchanges = ['630', '670', '679', '668', '881', '888', '860', '470', '393'] as const;

export const firstNames = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Christopher', 'Nancy', 'Daniel', 'Lisa',
  'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily',
  'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Dorothy', 'Kevin', 'Carol', 'Brian', 'Amanda', 'George', 'Melissa',
  'Edward', 'Deborah', 'Ronald', 'Stephanie', 'Timothy', 'Rebecca', 'Jason', 'Sharon', 'Jeffrey', 'Laura', 'Ryan', 'Cynthia',
  'Jacob', 'Kathleen', 'Gary', 'Amy', 'Nicholas', 'Shirley', 'Eric', 'Angela', 'Jonathan', 'Helen', 'Stephen', 'Anna',
  'Larry', 'Brenda', 'Justin', 'Pamela', 'Scott', 'Nicole', 'Brandon', 'Emma', 'Benjamin', 'Samantha', 'Samuel', 'Katherine',
  'Gregory', 'Christine', 'Frank', 'Debra', 'Alexander', 'Rachel', 'Raymond', 'Catherine', 'Patrick', 'Carolyn', 'Jack', 'Janet',
  'Dennis', 'Ruth', 'Jerry', 'Maria', 'Tyler', 'Heather', 'Aaron', 'Diane', 'Jose', 'Virginia', 'Adam', 'Julie', 'Henry',
  'Joyce', 'Nathan', 'Victoria', 'Douglas', 'Olivia', 'Zachary', 'Kelly', 'Peter', 'Christina', 'Kyle', 'Lauren', 'Walter',
  'Joan', 'Ethan', 'Evelyn', 'Jeremy', 'Judith', 'Harold', 'Megan', 'Keith', 'Cheryl', 'Christian', 'Andrea', 'Roger', 'Hannah',
  'Noah', 'Martha', 'Gerald', 'Jacqueline', 'Carl', 'Frances', 'Terry', 'Gloria', 'Sean', 'Ann', 'Austin', 'Teresa', 'Arthur',
  'Kathryn', 'Lawrence', 'Sara', 'Jesse', 'Janice', 'Dylan', 'Jean', 'Bryan', 'Alice', 'Joe', 'Madison', 'Jordan', 'Doris',
  'Billy', 'Abigail', 'Bruce', 'Julia', 'Albert', 'Judy', 'Willie', 'Grace', 'Gabriel', 'Denise', 'Logan', 'Amber', 'Alan',
  'Marilyn', 'Juan', 'Beverly', 'Wayne', 'Danielle', 'Roy', 'Theresa', 'Ralph', 'Sophia', 'Randy', 'Marie', 'Eugene', 'Diana',
  'Vincent', 'Brittany', 'Russell', 'Natalie', 'Elijah', 'Isabella', 'Louis', 'Charlotte', 'Bobby', 'Rose', 'Philip', 'Alexis',
  'Johnny', 'Kayla', 'Dale', 'Wanda', 'Glenn', 'Lois', 'Clayton', 'Marlene', 'Wade', 'Colleen', 'Hank', 'Bonnie', 'Luke', 'Lorraine',
] as const;

/** Given names more common in the valley's Spanish-speaking families. */
export const hispanicFirstNames = [
  'José', 'Juan', 'Luis', 'Carlos', 'Jesús', 'Miguel', 'Francisco', 'Alejandro', 'Pedro', 'Ricardo', 'Manuel', 'Javier',
  'Rafael', 'Fernando', 'Arturo', 'Salvador', 'Guadalupe', 'María', 'Rosa', 'Ana', 'Carmen', 'Lucía', 'Elena', 'Isabel',
  'Yolanda', 'Veronica', 'Leticia', 'Adriana', 'Alejandra', 'Gabriela', 'Marisol', 'Esperanza', 'Araceli', 'Maribel',
] as const;

export const lastNames = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore',
  'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King',
  'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Phillips', 'Evans', 'Turner', 'Parker', 'Collins', 'Edwards', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan',
  'Peterson', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Kelly', 'Howard', 'Ward', 'Cox', 'Richardson', 'Wood', 'Watson',
  'Brooks', 'Bennett', 'Gray', 'James', 'Hughes', 'Price', 'Sanders', 'Myers', 'Long', 'Ross', 'Foster', 'Powell', 'Jenkins',
  'Perry', 'Russell', 'Sullivan', 'Fisher', 'Henderson', 'Coleman', 'Simmons', 'Patterson', 'Jordan', 'Reynolds', 'Hamilton',
  'Graham', 'Kim', 'Wallace', 'Woods', 'Cole', 'West', 'Owens', 'Marshall', 'Harrison', 'Gibson', 'McDonald', 'Ellis',
  'Stevens', 'Murray', 'Ford', 'Wells', 'Olson', 'Larson', 'Hansen', 'Nielsen', 'Johansen', 'Lindgren', 'Gustafson',
  'Swanson', 'Carlson', 'Berg', 'Lund', 'Dahl', 'Halvorsen', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Wagner',
  'Hoffman', 'Koch', 'Richter', 'Klein', 'Wolf', 'Schroeder', 'Neumann', 'Zimmerman', 'Braun', 'Kruger', 'Hartmann',
  "O'Brien", "O'Connor", 'Kennedy', 'Doyle', 'Flanagan', 'Gallagher', 'Brennan', 'McCarthy', 'Quinn', 'Nakamura',
  'Tanaka', 'Yamamoto', 'Sato', 'Nguyen', 'Tran', 'Le', 'Pham', 'Chen', 'Wang', 'Lee', 'Singh', 'Patel', 'Kowalski',
  'Novak', 'Petrov', 'Ivanov', 'Kozlov', 'Whitaker', 'Goodfellow', 'Applegate', 'Orchard', 'Fairbanks', 'Holloway', 'Pruitt',
  'Cates', 'Stoddard', 'Kinney', 'Ruud', 'Haugen', 'Tollefson', 'Wehr', 'Bjork', 'Sorensen', 'Hightower', 'Delacroix',
] as const;

export const hispanicLastNames = [
  'Garcia', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Perez', 'Sanchez', 'Ramirez', 'Torres', 'Flores',
  'Rivera', 'Gomez', 'Diaz', 'Reyes', 'Cruz', 'Morales', 'Ortiz', 'Gutierrez', 'Chavez', 'Ramos', 'Ruiz', 'Alvarez',
  'Mendoza', 'Castillo', 'Jimenez', 'Moreno', 'Romero', 'Herrera', 'Medina', 'Aguilar', 'Vargas', 'Castro', 'Guzman',
  'Velasquez', 'Contreras', 'Zamora', 'Valdez', 'Cervantes', 'Ochoa', 'Magaña', 'Barajas', 'Zavala', 'Villanueva',
] as const;

export const emailDomains = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'nwi.net', 'frontier.com', 'comcast.net'] as const;

/** Parts of business names. */
export const businessNouns = [
  'Orchards', 'Fruit', 'Packing', 'Cold Storage', 'Hardware', 'Auto Repair', 'Dental', 'Family Medicine', 'Veterinary Clinic',
  'Bakery', 'Coffee', 'Brewing', 'Cellars', 'Winery', 'Market', 'Grocery', 'Pizza', 'Taqueria', 'Diner', 'Bistro',
  'Construction', 'Plumbing', 'Electric', 'Heating & Cooling', 'Landscaping', 'Realty', 'Insurance', 'Accounting', 'Law Office',
  'Hair Studio', 'Fitness', 'Storage', 'Motel', 'Lodge', 'Inn', 'Tire', 'Feed & Seed', 'Nursery', 'Print Shop', 'Bike Shop',
  'Outfitters', 'Ski Shop', 'Marine', 'Boat Rental', 'Car Wash', 'Laundromat', 'Daycare', 'Church', 'Grange Hall', 'Pharmacy',
] as const;

export const businessPrefixes = [
  'Cascade', 'Columbia', 'Wenatchee Valley', 'Apple Valley', 'Icicle', 'Chelan Lake', 'Big Red', 'Mission Ridge', 'Blue Bird',
  'North Central', 'Stemilt', 'Pybus', 'Riverside', 'Sunrise', 'Evergreen', 'Pinnacle', 'Saddle Rock', 'Horse Lake',
  'Entiat Valley', 'Tumwater', 'Ohme Gardens', 'Canyon', 'Alpine', 'Bavarian', 'Summit', 'Lakeside', 'Orchard View',
] as const;

export const businessSuffixes = ['LLC', 'Inc', 'Co', '', '', 'LLC', 'Corp', '& Sons', 'Group'] as const;

export const propertyManagerWords = ['Property Management', 'Apartments', 'Rentals', 'Properties', 'Housing'] as const;

export const locationNotes = [
  'Meter on north side of garage', 'Meter on east wall', 'Dog in yard', 'Locked gate: call ahead', 'Meter behind fence',
  'Meter in alley', 'Meter box under deck', 'Beware of dog', 'Gate code 1234', 'Meter bank in utility room',
] as const;

export interface MeterModel {
  manufacturer: string;
  model: string;
}

export const meterModels: Record<'electric' | 'electricCt' | 'water', readonly MeterModel[]> = {
  electric: [
    { manufacturer: 'Itron', model: 'CENTRON C1SR' },
    { manufacturer: 'Landis+Gyr', model: 'Focus AXR' },
    { manufacturer: 'Aclara', model: 'I-210+c' },
  ],
  electricCt: [
    { manufacturer: 'GE', model: 'kV2c' },
    { manufacturer: 'Landis+Gyr', model: 'E650 S4x' },
  ],
  water: [
    { manufacturer: 'Badger Meter', model: 'Recordall M25' },
    { manufacturer: 'Neptune', model: 'T-10' },
    { manufacturer: 'Sensus', model: 'iPERL' },
  ],
};
